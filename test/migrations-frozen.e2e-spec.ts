/**
 * Landed migrations are frozen: a database that ran one never runs it again, so an edit after landing
 * silently splits databases into two schemas. Each migration file's SHA-256 is listed in
 * migrations/landed.sha256 when it lands; a change shows here as a failing test naming the file.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const DIR = path.join(__dirname, '../migrations');

function landed(): Map<string, string> {
  const entries = fs
    .readFileSync(path.join(DIR, 'landed.sha256'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [hash, file] = line.trim().split(/\s+\*?/);
      return [file, hash] as const;
    });
  return new Map(entries);
}

const files = fs.readdirSync(DIR).filter((name) => /^\d+-[\w-]+\.ts$/.test(name)).sort();

describe('landed migrations', () => {
  const hashes = landed();

  it.each(files)('%s is listed in migrations/landed.sha256 (add its hash when it lands)', (file) => {
    expect(hashes.has(file)).toBe(true);
  });

  it.each(files)('%s is unchanged since it landed (write a new migration instead)', (file) => {
    const actual = createHash('sha256').update(fs.readFileSync(path.join(DIR, file))).digest('hex');
    expect(actual).toBe(hashes.get(file));
  });

  it('lists no migration that is gone', () => {
    expect([...hashes.keys()].filter((file) => !files.includes(file))).toEqual([]);
  });

  it('are all run, in file order', () => {
    const index = fs.readFileSync(path.join(DIR, 'index.ts'), 'utf8');
    const imported = [...index.matchAll(/from '\.\/([\w-]+)'/g)].map((match) => `${match[1]}.ts`);
    expect(imported).toEqual(files);
  });
});
