import { CONTRACT_SCHEMAS } from './contract-schemas.generated.js';

/** The part of OpenAPI 3.0's schema object the response schemas use (readonly: the generated map is `as const`). */
export interface SchemaObject {
  readonly $ref?: string;
  readonly type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaObject>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | SchemaObject;
  readonly items?: SchemaObject;
  readonly allOf?: readonly SchemaObject[];
}

/**
 * The response bodies of the API as OpenAPI schemas, named as the contract's types. They are generated
 * from those types (libs/dora/src, the contract the SPA reads) by `npm run contract:schemas`, so the
 * document cannot say one thing and the SPA's types another; a test checks real answers against them.
 */
export const SCHEMAS: Readonly<Record<SchemaName, SchemaObject>> = CONTRACT_SCHEMAS;

/** The name of a response schema: what `@ApiAnswer` and `ApiErrors` may refer to. */
export type SchemaName = keyof typeof CONTRACT_SCHEMAS;
