// Types of openapi-schemas.mjs, for the API's tests that import it.

/** An OpenAPI 3.0 schema object as the generator writes it. */
export type GeneratedSchema = { [keyword: string]: unknown };

/** Where the generated module goes, relative to the workspace root. */
export declare const GENERATED_FILE: string;

/** The contract types the API answers with. */
export declare const RESPONSE_TYPES: readonly string[];

/** `{ [name]: schema }` for the response types and the named types they use, as OpenAPI 3.0 schemas. Takes seconds. */
export declare function generateContractSchemas(): Record<string, GeneratedSchema>;

/** JSON Schema definitions (as ts-json-schema-generator writes them) → OpenAPI 3.0 component schemas. */
export declare function toOpenApiSchemas(definitions: Record<string, object>): Record<string, GeneratedSchema>;

/** The text of the generated TypeScript module. */
export declare function renderContractSchemasModule(schemas: Record<string, GeneratedSchema>): string;

/** The module as the contract gives it now, the committed file's text, and whether they differ. */
export declare function compareWithCommitted(): { fresh: string; committed: string; stale: boolean };
