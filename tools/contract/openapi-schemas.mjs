// The OpenAPI response schemas of the API, generated from the contract's TypeScript types (libs/dora/src,
// published as @dora/domain): the types are the one statement of the response shapes; their JSDoc
// tags (`@format date-time`, `@format uuid`, `@asType integer`, ...) carry what TypeScript cannot say.
//
//   npm run contract:schemas            writes apps/api/src/openapi/contract-schemas.generated.ts
//   node tools/contract/openapi-schemas.mjs --check   exits 1 when that file is stale
//
// apps/api/test/contract-schemas.spec.ts regenerates in memory and fails while the file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the generated module goes, relative to the workspace root. */
export const GENERATED_FILE = 'apps/api/src/openapi/contract-schemas.generated.ts';

/**
 * The contract types the API answers with (each `@ApiAnswer`/`ApiErrors` names one). `type: '*'` does
 * not follow the index's `export *`, so they are listed; the types they refer to (Band, MetricsWindow, ...)
 * come along as schemas of their own.
 */
export const RESPONSE_TYPES = [
  // errors
  'ApiErrorBody',
  'OAuthErrorBody',
  // ingest and the Forgejo webhook
  'IngestedDeployment',
  'BatchIngestResult',
  'LastDeployment',
  'DeliveryReceipt',
  'DeliveryItem',
  'DeliveryPage',
  'ForgejoOwnerItem',
  'ForgejoOwnerList',
  // metrics
  'DoraSummary',
  'DoraSeries',
  'RepoPage',
  'DeploymentPage',
  'DeploymentDetail',
  'EnvironmentList',
  'AuditPage',
  'DoraSettings',
  'TeamMetricsList',
  'ServicePage',
  'DoraComparison',
  'DoraPerformers',
  // badges
  'BadgeKeyItem',
  'BadgeKeyList',
  'MintedBadgeKey',
  // teams
  'Team',
  'TeamList',
  'TeamRuleList',
  'TeamRulesPreview',
  // auth
  'Me',
  'ApiTokenItem',
  'ApiTokenList',
  'MintedToken',
  'RotatedToken',
  'RevokedToken',
  'IdentityProviderItem',
  'IdentityProviderList',
  'TokenExchangeResponse',
  // operations
  'ServiceStatus',
  'HealthStatus',
];

/** OpenAPI component names; generic instantiations (`Page<RepoMetrics>`) are inlined where used instead. */
const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;
const DEFINITIONS = '#/definitions/';
const COMPONENTS = '#/components/schemas/';

/**
 * `{ [name]: schema }` for every response type and the named types they use, as OpenAPI 3.0 schemas,
 * sorted by name. Takes several seconds (the TypeScript program is built once).
 */
export function generateContractSchemas() {
  const generator = createGenerator({
    path: `${ROOT}libs/dora/src/index.ts`,
    tsconfig: `${ROOT}libs/dora/tsconfig.lib.json`,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    skipTypeCheck: true,
  });
  /** @type {Record<string, object>} */
  const definitions = {};
  for (const type of RESPONSE_TYPES) {
    const schema = generator.createSchema(type);
    for (const [name, definition] of Object.entries(schema.definitions ?? {})) {
      if (name in definitions && !isDeepStrictEqual(definitions[name], definition)) {
        throw new Error(`The contract type ${name} came out two different ways`);
      }
      definitions[name] = definition;
    }
  }
  return toOpenApiSchemas(definitions);
}

/** JSON Schema (draft 7, as ts-json-schema-generator writes it) → OpenAPI 3.0 component schemas. */
export function toOpenApiSchemas(definitions) {
  const refName = (ref) => {
    if (!ref.startsWith(DEFINITIONS)) throw new Error(`Unexpected $ref ${ref}`);
    const name = decodeURIComponent(ref.slice(DEFINITIONS.length));
    if (!(name in definitions)) throw new Error(`$ref to ${name}, which was not generated`);
    return name;
  };

  const convert = (node, path) => {
    if (Array.isArray(node)) return node.map((item, index) => convert(item, `${path}/${index}`));
    if (node === null || typeof node !== 'object') return node;
    const schema = { ...node };
    delete schema.$schema;
    delete schema.definitions;

    if (typeof schema.$ref === 'string') {
      const { $ref, ...siblings } = schema;
      const name = refName($ref);
      // A generic instantiation has no component name: its body goes where it is used.
      if (!COMPONENT_NAME.test(name)) return { ...convert(definitions[name], `${path}→${name}`), ...convert(siblings, path) };
      const ref = { $ref: COMPONENTS + name };
      // OpenAPI 3.0 ignores the siblings of a $ref: keep them (a description) beside an allOf.
      return Object.keys(siblings).length === 0 ? ref : { allOf: [ref], ...convert(siblings, path) };
    }

    if (Array.isArray(schema.anyOf) && schema.anyOf.some(isNull)) {
      const { anyOf, ...rest } = schema;
      const others = anyOf.filter((member) => !isNull(member));
      if (others.length !== 1) throw new Error(`${path}: a union of several types and null has no OpenAPI 3.0 form here`);
      const member = convert(others[0], `${path}/anyOf`);
      const outer = convert(rest, path);
      // `X | null` for a named X: 3.0's nullable needs a schema of its own around the $ref.
      if (member.$ref) return { allOf: [member], ...outer, nullable: true };
      if (typeof member.type !== 'string') throw new Error(`${path}: nullable needs a type in OpenAPI 3.0`);
      return { ...member, ...outer, nullable: true };
    }

    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'type' && Array.isArray(value)) {
        const types = value.filter((type) => type !== 'null');
        if (types.length !== 1) throw new Error(`${path}: type ${JSON.stringify(value)} has no OpenAPI 3.0 form`);
        out.type = types[0];
        if (types.length !== value.length) out.nullable = true;
      } else if (key === 'type' && value === 'null') {
        // A property that is always null (ReworkRate.band): 3.0 has no null type.
        Object.assign(out, { type: 'string', enum: [null], nullable: true });
      } else if (key === 'const') {
        out.enum = [value]; // 3.0 has no const
      } else if (key === 'additionalProperties' && isDeepStrictEqual(value, {})) {
        out.additionalProperties = true;
      } else if (key === 'properties') {
        out.properties = Object.fromEntries(Object.entries(value).map(([property, propertySchema]) => [property, convert(propertySchema, `${path}.${property}`)]));
      } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key)) {
        out[key] = convert(value, `${path}/${key}`);
      } else if (['type', 'description', 'format', 'enum', 'required', 'title', 'default', 'minimum', 'maximum', 'pattern', 'minItems', 'maxItems', 'minLength', 'maxLength', 'nullable'].includes(key)) {
        out[key] = value;
      } else {
        throw new Error(`${path}: the keyword ${key} is not handled for OpenAPI 3.0`);
      }
    }
    // An enum that takes null says so with nullable too (3.0 checks the type first).
    if (Array.isArray(out.enum) && out.enum.includes(null) && out.nullable !== true) out.nullable = true;
    return out;
  };

  const schemas = Object.fromEntries(
    Object.keys(definitions)
      .filter((name) => COMPONENT_NAME.test(name))
      .sort()
      .map((name) => [name, convert(definitions[name], name)]),
  );
  // Every reference answers: nothing points at a schema the map lacks.
  const text = JSON.stringify(schemas);
  for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
    if (!(name in schemas)) throw new Error(`A schema refers to ${name}, which is not generated`);
  }
  if (/"\$schema"|"definitions"|#\/definitions\//.test(text)) throw new Error('JSON Schema leftovers in the OpenAPI schemas');
  return schemas;
}

const isNull = (schema) => schema !== null && typeof schema === 'object' && schema.type === 'null' && Object.keys(schema).length === 1;

/** The generated TypeScript module: stable text (sorted names, 2-space indentation), ready to commit. */
export function renderContractSchemasModule(schemas) {
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((name) => [name, schemas[name]]));
  // Pretty JSON puts every key at the start of a line: unquote those that are identifiers.
  const body = JSON.stringify(sorted, null, 2).replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, '$1$2:');
  return [
    '// GENERATED by `npm run contract:schemas` (tools/contract/openapi-schemas.mjs) from the contract',
    '// types in libs/dora/src — do not edit by hand. Change the types (and their JSDoc tags: @format,',
    '// @asType) and run the command again; apps/api/test/contract-schemas.spec.ts fails while this file',
    '// differs from what the contract gives.',
    "import type { SchemaObject } from './schemas.js';",
    '',
    '/** The API\'s response bodies as OpenAPI 3.0 component schemas, named as the contract types. */',
    `export const CONTRACT_SCHEMAS = ${body} as const satisfies Record<string, SchemaObject>;`,
    '',
  ].join('\n');
}

/** The module as the contract gives it now, and the committed file's text. */
export function compareWithCommitted() {
  const fresh = renderContractSchemasModule(generateContractSchemas());
  let committed = '';
  try {
    committed = readFileSync(`${ROOT}${GENERATED_FILE}`, 'utf8');
  } catch {
    // missing: stale
  }
  return { fresh, committed, stale: fresh !== committed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--check')) {
    const { stale } = compareWithCommitted();
    if (stale) {
      console.error(`${GENERATED_FILE} is stale: run \`npm run contract:schemas\``);
      process.exitCode = 1;
    } else {
      console.log(`${GENERATED_FILE} is up to date`);
    }
  } else {
    const schemas = generateContractSchemas();
    writeFileSync(`${ROOT}${GENERATED_FILE}`, renderContractSchemasModule(schemas));
    console.log(`${GENERATED_FILE}: ${Object.keys(schemas).length} schemas`);
  }
}
