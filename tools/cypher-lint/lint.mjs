#!/usr/bin/env node
// Lint Ecomap's saved Cypher queries as Neo4j 5 reads them, with Neo4j's own language support.
//
//   node tools/cypher-lint/lint.mjs [FILE.cypher ...]
//
// With no files: every queries/<slug>.cypher whose dialect is any or neo4j, every
// queries/<slug>.neo4j.cypher and every queries/choices/*.cypher. The `//` header is blanked
// (line numbers stay those of the file); its `// param:` names are the only parameters the
// query may use. Labels, relationship types and property keys come from the model itself
// (`python -m graph.model`, run with $PYTHON, else .venv/bin/python, else python3), so unknown
// ones are warnings. Prints file:line:column: severity: message and
// exits 1 when any diagnostic is an error (2 when a file cannot be read).
//
//   node tools/cypher-lint/lint.mjs --statements < statements.json
//
// Lints statements Ecomap sends (tests/test_neo4j_statements.py collects them): reads
// {"extra": {"labels": [...], "propertyKeys": [...]}, "statements": [{"origin", "text",
// "explain"}]} and lints each in Cypher 5 and Cypher 25, as sent and (unless "explain" is
// false: writes are never explained) as `EXPLAIN …`, with every Neo4j procedure
// known; prints one JSON array of diagnostics {origin, version, explain, severity, message,
// line, column}.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's ESM build uses extensionless imports that plain Node cannot load; its CJS can.
const require = createRequire(import.meta.url);
const { lintCypherQuery, testData } = require('@neo4j-cypher/language-support');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const QUERIES = path.resolve(HERE, '..', '..', 'queries');
const ROOT = path.resolve(HERE, '..', '..');
const MODEL = readModel();
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
const VERSIONS = ['CYPHER 5', 'CYPHER 25'];
const TWIN = '.neo4j.cypher';

/** Ask the model for its labels, types, property keys and read procedures. */
function readModel() {
  const venv = path.join(ROOT, '.venv', 'bin', 'python');
  const python = process.env.PYTHON || (existsSync(venv) ? venv : 'python3');
  const done = spawnSync(python, ['-m', 'graph.model'], { cwd: ROOT, encoding: 'utf8' });
  if (done.status !== 0) {
    process.stderr.write(`cannot read the model with ${python}: ${done.stderr || done.error}\n`);
    process.exit(2);
  }
  return JSON.parse(done.stdout);
}

/** Split a file into its header entries and its text with the header lines blanked. */
function readQuery(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  let end = 0;
  while (end < lines.length && lines[end].trimStart().startsWith('//')) end += 1;
  const header = lines.slice(0, end).map((line) => line.trim().slice(2).trim());
  const value = (key) =>
    header.filter((h) => h.startsWith(`${key}:`)).map((h) => h.slice(key.length + 1).trim());
  return {
    dialect: value('dialect')[0] ?? 'any',
    params: value('param').map((p) => p.split(/\s+/)[0]),
    text: lines.map((line, i) => (i < end ? '' : line)).join('\n'),
  };
}

/** Return the Neo4j variants of the library: what Neo4j would be sent. */
function libraryFiles(folder) {
  const cypher = (dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.cypher'))
          .sort()
          .map((name) => path.join(dir, name))
      : [];
  const queries = cypher(folder).filter(
    (file) => file.endsWith(TWIN) || ['any', 'neo4j'].includes(readQuery(file).dialect),
  );
  return [...queries, ...cypher(path.join(folder, 'choices'))];
}

/** Build the linter's schema: the model, the declared parameters, Neo4j's built-ins. */
function dbSchema(params) {
  // The package ships a Neo4j 5 schema (functions and procedures with signatures) as testData;
  // keep its built-in functions and only the procedures Ecomap's read path allows.
  const mock = testData.mockSchema;
  const functions = {};
  const procedures = {};
  for (const version of VERSIONS) {
    functions[version] = Object.fromEntries(
      Object.entries(mock.functions[version]).filter(([, fn]) => fn.isBuiltIn),
    );
    procedures[version] = Object.fromEntries(
      MODEL.procedures
        .filter((name) => mock.procedures[version][name])
        .map((name) => [name, mock.procedures[version][name]]),
    );
  }
  return {
    labels: MODEL.labels,
    relationshipTypes: MODEL.relationshipTypes,
    propertyKeys: MODEL.propertyKeys,
    parameters: Object.fromEntries(params.map((name) => [name, null])),
    functions,
    procedures,
    defaultLanguage: 'CYPHER 5',
  };
}

/** Lint one file; print its diagnostics; return how many of each severity. */
function lintFile(file) {
  const query = readQuery(file);
  const relative = path.relative(process.cwd(), file);
  const shown = relative.startsWith('..') ? file : relative;
  if (query.dialect === 'falkordb' && !file.endsWith(TWIN)) {
    console.log(`${shown}: skipped (dialect: falkordb; its Neo4j twin is linted instead)`);
    return { errors: 0, warnings: 0 };
  }
  const counts = { errors: 0, warnings: 0 };
  for (const d of lintCypherQuery(query.text, dbSchema(query.params))) {
    const severity = SEVERITY[d.severity] ?? 'error';
    const { line, character } = d.range.start;
    console.log(`${shown}:${line + 1}:${character + 1}: ${severity}: ${d.message}`);
    if (severity === 'error') counts.errors += 1;
    if (severity === 'warning') counts.warnings += 1;
  }
  return counts;
}

/** Lint every statement in every version, as sent and explained; return the diagnostics. */
function lintStatements(input) {
  const mock = testData.mockSchema;
  const found = [];
  for (const version of VERSIONS) {
    for (const statement of input.statements) {
      const params = [...statement.text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
      const schema = {
        ...dbSchema([...new Set(params)]),
        labels: [...MODEL.labels, ...input.extra.labels],
        propertyKeys: [...MODEL.propertyKeys, ...input.extra.propertyKeys],
        procedures: mock.procedures,
        defaultLanguage: version,
      };
      for (const explain of statement.explain === false ? [false] : [false, true]) {
        const text = explain ? `EXPLAIN ${statement.text}` : statement.text;
        for (const d of lintCypherQuery(text, schema)) {
          found.push({
            origin: statement.origin,
            version,
            explain,
            severity: SEVERITY[d.severity] ?? 'error',
            message: d.message,
            line: d.range.start.line + 1,
            column: d.range.start.character + 1,
          });
        }
      }
    }
  }
  return found;
}

function main(args) {
  if (args[0] === '--statements') {
    const input = JSON.parse(readFileSync(0, 'utf8'));
    process.stdout.write(JSON.stringify(lintStatements(input)));
    return 0;
  }
  const files = args.length ? args.map((a) => path.resolve(a)) : libraryFiles(QUERIES);
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length) {
    console.error(`cypher-lint: no such file: ${missing.join(', ')}`);
    return 2;
  }
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const counts = lintFile(file);
    errors += counts.errors;
    warnings += counts.warnings;
  }
  console.error(`cypher-lint: ${files.length} files, ${errors} errors, ${warnings} warnings`);
  return errors ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
