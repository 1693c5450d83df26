// Build step: writes each contract's JSON Schema, generated from the zod schemas, into schemas/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { jsonSchemas } from '../dist/index.js';

mkdirSync(new URL('../schemas/', import.meta.url), { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
}
