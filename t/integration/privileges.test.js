// The roles' privileges, mechanically (sql/030_least_privilege.sql; HACKING.md "Privileges").
// Lists every privilege felt_app and felt_read hold in felt's database and compares the list
// with privileges.allow, both ways: a migration that grants more fails here until the
// allow-list says so in the same change, and one that stops granting something must say so
// too. Also checks the rules a list cannot show: SECURITY DEFINER functions pin their
// search_path, nothing is granted to PUBLIC, the programs' role owns nothing.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { psql } = require('./lib.js');

function rows(sql) {
  const r = psql(sql);
  assert.equal(r.code, 0, `SQL failed: ${sql}\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}

// Every privilege `role` holds on felt's schema, database and cluster, one text line each,
// "<kind> <object> <privilege>". has_*_privilege counts grants to PUBLIC and through role
// membership, so this is what the role can do, not only what was granted to it by name.
// Column privileges are listed only where the role lacks the table-wide one.
function privilegesOf(role) {
  return rows(`
    WITH s AS (SELECT oid AS nsp FROM pg_namespace WHERE nspname = current_schema()),
    rel AS (SELECT c.oid, c.relname, c.relkind FROM pg_class c, s
             WHERE c.relnamespace = s.nsp AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S'))
    SELECT CASE WHEN relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || relname || ' ' || p FROM rel,
           unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
     WHERE relkind <> 'S' AND has_table_privilege('${role}', oid, p)
    UNION ALL
    SELECT 'sequence ' || relname || ' ' || p FROM rel, unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) p
     WHERE relkind = 'S' AND has_sequence_privilege('${role}', oid, p)
    UNION ALL
    SELECT 'column ' || relname || '.' || a.attname || ' ' || p
      FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped,
           unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) p
     WHERE relkind <> 'S' AND has_column_privilege('${role}', rel.oid, a.attnum, p)
       AND NOT has_table_privilege('${role}', rel.oid, p)
    UNION ALL
    SELECT 'function ' || f.oid::regprocedure || ' EXECUTE' FROM pg_proc f, s
     WHERE f.pronamespace = s.nsp AND has_function_privilege('${role}', f.oid, 'EXECUTE')
    UNION ALL
    SELECT 'schema ' || p FROM s, unnest(ARRAY['USAGE', 'CREATE']) p WHERE has_schema_privilege('${role}', s.nsp, p)
    UNION ALL
    SELECT 'database ' || p FROM unnest(ARRAY['CONNECT', 'CREATE', 'TEMPORARY']) p
     WHERE has_database_privilege('${role}', current_database(), p)
    UNION ALL
    SELECT 'role ' || a FROM pg_roles r, LATERAL (VALUES ('SUPERUSER', r.rolsuper), ('CREATEROLE', r.rolcreaterole),
           ('CREATEDB', r.rolcreatedb), ('REPLICATION', r.rolreplication), ('BYPASSRLS', r.rolbypassrls)) v (a, has)
     WHERE r.rolname = '${role}' AND has
    UNION ALL
    SELECT 'member of ' || g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
     WHERE m.member = '${role}'::regrole
    UNION ALL
    SELECT 'owns ' || x FROM (
      SELECT 'relation ' || relname AS x FROM pg_class WHERE relowner = '${role}'::regrole
      UNION ALL SELECT 'function ' || oid::regprocedure FROM pg_proc WHERE proowner = '${role}'::regrole
      UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typowner = '${role}'::regrole
      UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspowner = '${role}'::regrole
      UNION ALL SELECT 'database ' || datname FROM pg_database WHERE datdba = '${role}'::regrole
      UNION ALL SELECT 'large object ' || oid FROM pg_largeobject_metadata WHERE lomowner = '${role}'::regrole) o
    ORDER BY 1`).map((l) => `${role} ${l}`);
}

function allowList() {
  return fs.readFileSync(path.join(__dirname, 'privileges.allow'), 'utf8')
    .split('\n').map((l) => l.replace(/#.*/, '').trim().replace(/\s+/g, ' ')).filter((l) => l !== '');
}

function compare(role) {
  const held = new Set(privilegesOf(role));
  const allowed = new Set(allowList().filter((l) => l.startsWith(`${role} `)));
  const extra = [...held].filter((p) => !allowed.has(p));
  const missing = [...allowed].filter((p) => !held.has(p));
  assert.deepEqual(extra, [], `${role} holds privileges that t/integration/privileges.allow does not list`
    + ' (grant less, or list them there in the same change):\n  ' + extra.join('\n  '));
  assert.deepEqual(missing, [], `t/integration/privileges.allow lists privileges ${role} does not hold`
    + ' (remove them from the list):\n  ' + missing.join('\n  '));
}

test('felt_app holds exactly the privileges on the allow-list', () => compare('felt_app'));

test('felt_read holds exactly the privileges on the allow-list', () => compare('felt_read'));

test('felt_app may never write the ledger tables directly', () => {
  // The rule in one place, whatever the allow-list says.
  const writes = rows(`
    SELECT c.relname || ' ' || p FROM pg_class c,
           unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES']) p
     WHERE c.relnamespace = current_schema()::regnamespace
       AND (c.relname IN ('accounts', 'ledger_txns', 'ledger_entries') OR c.relname LIKE 'ledger\\_seal%')
       AND (has_table_privilege('felt_app', c.oid, p)
            OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
                          AND p IN ('INSERT', 'UPDATE', 'REFERENCES')
                          AND has_column_privilege('felt_app', c.oid, a.attnum, p)))`);
  assert.deepEqual(writes, []);
});

test('SECURITY DEFINER functions pin search_path with pg_temp last and belong to the owner', () => {
  const bad = rows(`
    SELECT f.oid::regprocedure || ' owner=' || f.proowner::regrole || ' config=' || coalesce(array_to_string(f.proconfig, ';'), '')
      FROM pg_proc f
     WHERE f.pronamespace = current_schema()::regnamespace AND f.prosecdef
       AND (NOT coalesce(f.proconfig @> ARRAY['search_path=' || quote_ident(current_schema()) || ', pg_temp'], false)
            OR f.proowner <> (SELECT relowner FROM pg_class WHERE oid = 'ledger_txns'::regclass)
            OR (SELECT rolsuper FROM pg_roles WHERE oid = f.proowner))`);
  assert.deepEqual(bad, [], 'write them as SECURITY DEFINER SET search_path FROM CURRENT, created by feltctl migrate');
  const n = rows(`SELECT count(*) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace AND prosecdef`);
  assert.ok(Number(n[0]) >= 3, 'the ledger functions are SECURITY DEFINER');
});

test('nothing in felt\'s schema is granted to PUBLIC', () => {
  const pub = rows(`
    SELECT 'relation ' || c.relname || ' ' || a.privilege_type
      FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
     WHERE c.relnamespace = current_schema()::regnamespace AND a.grantee = 0
    UNION ALL
    SELECT 'function ' || f.oid::regprocedure || ' ' || a.privilege_type
      FROM pg_proc f, aclexplode(coalesce(f.proacl, acldefault('f', f.proowner))) a
     WHERE f.pronamespace = current_schema()::regnamespace AND a.grantee = 0`);
  assert.deepEqual(pub, []);
});

test('every object in felt\'s schema belongs to one owner, which is no superuser', () => {
  const owners = rows(`
    SELECT DISTINCT o::regrole || ' super=' || (SELECT rolsuper FROM pg_roles WHERE oid = o) FROM (
      SELECT relowner AS o FROM pg_class WHERE relnamespace = current_schema()::regnamespace
      UNION SELECT proowner FROM pg_proc WHERE pronamespace = current_schema()::regnamespace) x`);
  assert.equal(owners.length, 1, `owners: ${owners.join(', ')}`);
  assert.match(owners[0], / super=false$/);
  assert.doesNotMatch(owners[0], /^felt_(app|read) /);
});

test('every table and view is readable by felt_read', () => {
  const unreadable = rows(`
    SELECT c.relname FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
       AND NOT has_any_column_privilege('felt_read', c.oid, 'SELECT')`);
  assert.deepEqual(unreadable, [], 'GRANT SELECT ... TO felt_read for every new table and view');
});
