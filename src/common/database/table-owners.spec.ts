import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

/**
 * Every table has one owner, and only the owner's stores name it: another module reads or writes it through
 * the owner's service. A new table joins the map below in the change that creates it.
 */
const OWNERS: Record<string, readonly string[]> = {
  audit: ['audit_entry'],
  identity: ['app_user', 'auth_session', 'supplier_access_closed', 'user_two_factor', 'user_recovery_code', 'federated_request', 'saml_assertion_seen', 'service_account', 'api_token'],
  rules: ['rule_set_version'],
  suppliers: ['supplier', 'supplier_catalogue_entry', 'agreement', 'agreement_rate', 'price_cap', 'ceiling_ledger_entry', 'agreement_history', 'agreement_document', 'agreement_document_content', 'supervision_visit', 'agreement_penalty', 'ad_hoc_purchase', 'partner_employee_rate'],
  grants: ['citizen', 'citizen_target_group', 'mentor_grant', 'progress_report', 'grant_task_order', 'grant_amendment', 'grant_follow_up', 'grant_course', 'silent_grant'],
  invoices: ['invoice', 'delivery', 'contact_gap', 'invoice_hold', 'finding_answer', 'invoice_thread_entry', 'business_response', 'mentor_session'],
  billing: ['statement', 'statement_number_counter', 'billing_run', 'billing_run_item', 'posting_export', 'posting_export_statement', 'payment_import', 'payment_finding'],
  refunds: ['refund_claim', 'budget_year', 'hour_budget_entry', 'full_time_persons_year'],
  reports: ['municipality_figure'],
  notifications: ['notification_event', 'notification', 'notification_preference', 'mail_outbox', 'grant_message', 'delegation'],
};

const SRC = join(__dirname, '..', '..');
const MIGRATIONS = join(SRC, '..', 'migrations');

// Words that follow FROM, JOIN, INTO or UPDATE without being a table: `DO UPDATE SET`, `FOR UPDATE OF`, `JOIN LATERAL`.
const NOT_TABLES = new Set(['set', 'of', 'skip', 'nowait', 'lateral', 'only', 'select']);

/** The tables a piece of SQL names after FROM, JOIN, INTO, UPDATE, USING and VACUUM, and in FROM lists; functions left out. */
function tablesIn(sql: string): string[] {
  const text = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .toLowerCase();
  const found = new Set<string>();
  const relation = /\b(from|join|into|update|using|vacuum(?:\s*\([^)]*\))?)\s+(?:only\s+)?([a-z_][a-z0-9_]*)(\s*\()?/g;
  for (const match of text.matchAll(relation)) {
    // A parenthesis after a name is a function's, but after INTO the column list's.
    if ((match[3] === undefined || match[1] === 'into') && !NOT_TABLES.has(match[2])) found.add(match[2]);
  }
  // `FROM a x, b y`: the relations after the first of a FROM list.
  const list = /\bfrom\s+[a-z_][a-z0-9_]*(?:\s+(?:as\s+)?[a-z_][a-z0-9_]*)?((?:\s*,\s*[a-z_][a-z0-9_]*(?:\s*\([^)]*\))?(?:\s+(?:as\s+)?[a-z_][a-z0-9_]*)?)+)/g;
  for (const match of text.matchAll(list)) {
    for (const item of match[1].split(',').slice(1)) {
      const name = /^\s*([a-z_][a-z0-9_]*)(\s*\()?/.exec(item);
      if (name && name[2] === undefined) found.add(name[1]);
    }
  }
  // The names a WITH [RECURSIVE] clause declares are the query's own, not tables.
  for (const match of text.matchAll(/(?:\bwith(?:\s+recursive)?|,)\s*([a-z_][a-z0-9_]*)\s*(?:\([^)]*\))?\s+as\s*\(/g)) found.delete(match[1]);
  return [...found].sort();
}

/** The tables the migrations leave: created in an `up` and not dropped in a later one. */
function migratedTables(): Set<string> {
  const tables = new Set<string>();
  const files = readdirSync(MIGRATIONS).filter((name) => /^\d+-[\w-]+\.ts$/.test(name)).sort();
  for (const file of files) {
    const source = readFileSync(join(MIGRATIONS, file), 'utf8');
    const up = source.slice(source.indexOf('async up('), source.indexOf('async down(') < 0 ? undefined : source.indexOf('async down('));
    for (const [, verb, name] of up.matchAll(/\b(CREATE|DROP) TABLE (?:IF (?:NOT )?EXISTS )?([a-z_][a-z0-9_]*)/gi)) {
      if (verb.toUpperCase() === 'CREATE') tables.add(name.toLowerCase());
      else tables.delete(name.toLowerCase());
    }
  }
  return tables;
}

const modules = Object.keys(OWNERS);
const ownerOf = new Map(modules.flatMap((module) => OWNERS[module].map((table) => [table, module] as const)));

function othersTables(module: string, tables: string[]): string[] {
  return tables.filter((table) => ownerOf.get(table) !== module).map((table) => `${table} (${ownerOf.get(table) ?? 'no owner'})`);
}

function storeFiles(module: string): string[] {
  return readdirSync(join(SRC, module)).filter((name) => name.endsWith('.store.ts'));
}

function snapshotFiles(module: string): string[] {
  try {
    return readdirSync(join(SRC, module, 'queries')).filter((name) => name.endsWith('.sql'));
  } catch {
    return [];
  }
}

/** What a store's source names: the SQL in its string literals, the tables its query builders name, the entities it imports. */
function storeSource(path: string): { literals: string[]; builderTables: string[]; entityImports: string[] } {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const literals: string[] = [];
  const builderTables: string[] = [];
  const entityImports: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (node.moduleSpecifier.text.endsWith('.entity')) entityImports.push(node.moduleSpecifier.text);
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) literals.push(node.text);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(leftJoin|innerJoin|leftJoinAndSelect|innerJoinAndSelect|from|into|update|delete)$/.test(node.expression.name.text)) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteral(first)) builderTables.push(first.text.toLowerCase());
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { literals, builderTables, entityImports };
}

describe('every table has one owner', () => {
  it('the map names every table the migrations leave, and no other', () => {
    const migrated = migratedTables();
    expect([...migrated].filter((table) => !ownerOf.has(table)).sort()).toEqual([]);
    expect([...ownerOf.keys()].filter((table) => !migrated.has(table)).sort()).toEqual([]);
  });

  it('reads tables from SQL as the stores write it', () => {
    expect(tablesIn(`SELECT d.id FROM delivery d JOIN invoice i ON i.id = d.invoice_id WHERE EXISTS (SELECT 1 FROM contact_gap g)`)).toEqual(['contact_gap', 'delivery', 'invoice']);
    expect(tablesIn(`UPDATE statement s SET x = u.x FROM unnest($1::uuid[]) AS u(id, x) WHERE s.id = u.id`)).toEqual(['statement']);
    expect(tablesIn(`INSERT INTO budget_year (year) VALUES ($1) ON CONFLICT (year) DO UPDATE SET frame_ore = EXCLUDED.frame_ore`)).toEqual(['budget_year']);
    expect(tablesIn(`SELECT id FROM invoice WHERE id = $1 FOR UPDATE OF i`)).toEqual(['invoice']);
    expect(tablesIn(`SELECT sum(x) FROM refund_claim c, jsonb_array_elements(c.content->'frames') f, supplier p`)).toEqual(['refund_claim', 'supplier']);
    expect(tablesIn(`DELETE FROM delivery WHERE id = $1 -- not FROM mentor_grant`)).toEqual(['delivery']);
    expect(tablesIn(`VACUUM (ANALYZE) mentor_grant`)).toEqual(['mentor_grant']);
    expect(tablesIn(`WITH RECURSIVE back(id) AS (SELECT $1 UNION ALL SELECT g.x FROM back b JOIN grant_course g ON g.y = b.id), fwd AS (SELECT 1) SELECT * FROM back JOIN fwd ON true JOIN mentor_grant m ON true`)).toEqual(['grant_course', 'mentor_grant']);
    expect(tablesIn(`SELECT 'FROM supplier' AS text FROM statement`)).toEqual(['statement']);
  });

  describe.each(modules)('%s', (module) => {
    it.each(snapshotFiles(module).length > 0 ? snapshotFiles(module) : ['(none)'])('the SQL snapshot %s names only its own tables', (name) => {
      if (name === '(none)') return;
      expect(othersTables(module, tablesIn(readFileSync(join(SRC, module, 'queries', name), 'utf8')))).toEqual([]);
    });

    it('its stores name only its own tables, in SQL, in query builders and by entity', () => {
      const problems = storeFiles(module).flatMap((name) => {
        const source = storeSource(join(SRC, module, name));
        const sql = othersTables(module, [...new Set(source.literals.flatMap(tablesIn))]).map((table) => `${name}: SQL names ${table}`);
        const built = othersTables(module, [...new Set(source.builderTables)]).map((table) => `${name}: a query builder names ${table}`);
        const entities = source.entityImports.filter((path) => !path.startsWith('./')).map((path) => `${name}: imports the entity ${path}`);
        return [...sql, ...built, ...entities];
      });
      expect(problems).toEqual([]);
    });
  });

  it('has no store outside the modules of the map', () => {
    const modulesWithStores = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && readdirSync(join(SRC, entry.name)).some((name) => name.endsWith('.store.ts')))
      .map((entry) => entry.name);
    expect(modulesWithStores.filter((module) => !(module in OWNERS))).toEqual([]);
  });
});
