import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the generator is a workspace tool (tools/contract), not a project to depend on: the test runs it to compare
import { GENERATED_FILE, generateContractSchemas, renderContractSchemasModule, RESPONSE_TYPES, toOpenApiSchemas, type GeneratedSchema } from '../../../tools/contract/openapi-schemas.mjs';
import { CONTRACT_SCHEMAS } from '../src/openapi/contract-schemas.generated.js';

const ROOT = new URL('../../../', import.meta.url);
const RUN = '`npm run contract:schemas`';

/** The OpenAPI response schemas are generated from libs/dora's types; the committed file must be what they give now. */
describe('the contract schemas (libs/dora → apps/api/src/openapi/contract-schemas.generated.ts)', () => {
  let fresh: Record<string, GeneratedSchema>;

  // Building the TypeScript program takes several seconds, more on a busy machine: once for the file.
  beforeAll(() => {
    fresh = generateContractSchemas();
  }, 120_000);

  it('the committed file is exactly what the contract gives now', () => {
    const committed = readFileSync(new URL(GENERATED_FILE, ROOT), 'utf8');
    const regenerated = renderContractSchemasModule(fresh);
    if (committed !== regenerated) {
      const ours = committed.split('\n');
      const theirs = regenerated.split('\n');
      const line = ours.findIndex((text, index) => text !== theirs[index]);
      const at = line === -1 ? ours.length : line;
      throw new Error(
        `${GENERATED_FILE} is stale (it differs from libs/dora's types): run ${RUN} and commit the result.\n` +
          `First difference at line ${at + 1}:\n  committed: ${ours[at] ?? '(end of file)'}\n  generated: ${theirs[at] ?? '(end of file)'}`,
      );
    }
    expect(CONTRACT_SCHEMAS).toEqual(fresh);
  });

  it('answers every response type by its contract name, and every reference resolves', () => {
    for (const name of RESPONSE_TYPES) expect([name, name in fresh]).toEqual([name, true]);
    const text = JSON.stringify(fresh);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect([name, name! in fresh]).toEqual([name, true]);
    expect(text).not.toMatch(/"\$schema"|"definitions"|#\/definitions\/|"const"|"type":\[|"type":"null"/);
  });

  it('keeps the precision of the JSDoc tags: date-time, uuid, integer, enums, nullable', () => {
    const properties = (name: string) => (fresh[name] as { properties: Record<string, GeneratedSchema> }).properties;
    expect(properties('ApiTokenItem')['id']).toEqual({ type: 'string', format: 'uuid' });
    expect(properties('ApiTokenItem')['expires_at']).toEqual({ type: 'string', nullable: true, format: 'date-time' });
    expect(properties('ApiTokenItem')['created_by']).toMatchObject({ type: 'object', nullable: true });
    expect(properties('DoraSettings')['max_token_lifetime_days']).toMatchObject({ type: 'integer', nullable: true });
    expect(properties('LeadTime')['sample']).toMatchObject({ type: 'integer' });
    expect(properties('LeadTime')['band']).toEqual({ allOf: [{ $ref: '#/components/schemas/Band' }], nullable: true });
    expect(properties('DoraSummary')['band_set']).toMatchObject({ type: 'string', enum: ['dora-2023'] });
    expect(properties('SeriesPoint')['date']).toMatchObject({ type: 'string', format: 'date' });
    expect(fresh['WindowDays']).toEqual({ type: 'integer', enum: [7, 30, 90] });
    expect(properties('RepoPage')['items']).toEqual({ type: 'array', items: { $ref: '#/components/schemas/RepoMetrics' } });
    expect(properties('ApiErrorBody')['error']).toMatchObject({ properties: { code: { $ref: '#/components/schemas/ApiErrorCode' } } });
  });
});

describe('JSON Schema → OpenAPI 3.0', () => {
  const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

  it('turns null unions into nullable, const into enum, and inlines generic instantiations', () => {
    const schemas = toOpenApiSchemas({
      Band: { type: 'string', enum: ['elite', 'low'] },
      'Page<Band>': { type: 'object', properties: { items: { type: 'array', items: ref('Band') } }, required: ['items'], additionalProperties: false },
      BandPage: { $ref: '#/definitions/Page%3CBand%3E', description: 'A page of bands.' },
      Thing: {
        type: 'object',
        properties: {
          count: { type: ['integer', 'null'] },
          band: { anyOf: [ref('Band'), { type: 'null' }], description: 'Its band.' },
          owner: { anyOf: [{ type: 'object', properties: { id: { type: 'string' } } }, { type: 'null' }] },
          state: { type: ['string', 'null'], enum: ['on', 'off', null] },
          never: { type: 'null' },
          kind: { type: 'string', const: 'thing' },
          metadata: { type: 'object', additionalProperties: {} },
          described: { $ref: '#/definitions/Band', description: 'A band.' },
        },
      },
    });
    expect(Object.keys(schemas)).toEqual(['Band', 'BandPage', 'Thing']);
    expect(schemas['BandPage']).toEqual({
      type: 'object',
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Band' } } },
      required: ['items'],
      additionalProperties: false,
      description: 'A page of bands.',
    });
    expect((schemas['Thing'] as { properties: object }).properties).toEqual({
      count: { type: 'integer', nullable: true },
      band: { allOf: [{ $ref: '#/components/schemas/Band' }], description: 'Its band.', nullable: true },
      owner: { type: 'object', properties: { id: { type: 'string' } }, nullable: true },
      state: { type: 'string', nullable: true, enum: ['on', 'off', null] },
      never: { type: 'string', enum: [null], nullable: true },
      kind: { type: 'string', enum: ['thing'] },
      metadata: { type: 'object', additionalProperties: true },
      described: { allOf: [{ $ref: '#/components/schemas/Band' }], description: 'A band.' },
    });
  });

  it('refuses what OpenAPI 3.0 cannot say rather than writing it wrong', () => {
    expect(() => toOpenApiSchemas({ Mixed: { type: ['string', 'number'] } })).toThrow(/no OpenAPI 3.0 form/);
    expect(() => toOpenApiSchemas({ Lost: { type: 'object', properties: { x: ref('Missing') } } })).toThrow(/Missing/);
    expect(() => toOpenApiSchemas({ Odd: { type: 'string', patternProperties: {} } })).toThrow(/patternProperties/);
  });
});
