import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The modules whose queries all live in their stores; a module joins the list once its services hold none. The
// demo seeds own no table: they write through the modules' services.
const MODULES = ['refunds', 'suppliers', 'rules', 'identity', 'audit', 'grants', 'billing', 'invoices', 'reports', 'demo', 'web', 'notifications'];

// Raw SQL, query builders and repository or entity-manager calls: what only a store may run.
const QUERY = /\.query\(|createQueryBuilder|getRepository|manager\.(find|findOne|findBy|save|insert|update|delete|upsert|count|create)\(/;

const SRC = join(__dirname, '..', '..');

function offenders(module: string): string[] {
  const dir = join(SRC, module);
  return readdirSync(dir)
    .filter((name) => /\.(service|controller|processor|seed)\.ts$/.test(name))
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .flatMap((line, i) => (QUERY.test(line) ? [`${module}/${name}:${i + 1}: ${line.trim()}`] : [])),
    );
}

describe('queries live in stores', () => {
  it.each(MODULES)('no service, controller, processor or seed of %s runs a query itself', (module) => {
    expect(offenders(module)).toEqual([]);
  });
});
