import type { INestApplication } from '@nestjs/common';
import { ApiProperty, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { getMetadataStorage, IS_OPTIONAL } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters.js';
import { SERVICE_VERSION } from '../common/version.js';
import { SCHEMAS } from './schemas.js';

/** The OpenAPI 3 document, generated from the controllers and DTOs: /api/openapi.json, browsable at /api/docs. */
export function serveApiDocs(app: INestApplication): void {
  describeDtosByTheirValidators();
  const config = new DocumentBuilder()
    .setTitle('DORA metrics service')
    .setVersion(SERVICE_VERSION)
    .setDescription(
      'Deployments reported by CI and Forgejo, and the five DORA metrics computed from them. Errors have the body `{ "error": { "code", "message", "details"? } }`, except the OAuth token endpoint’s.',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'ffp_…', description: 'An API token of the org (npm run dora -- tokens:create, or the dashboard)' }, 'token')
    .addCookieAuth('dora_session', { type: 'apiKey', in: 'cookie', description: 'A signed-in session; changes also need X-CSRF-Token' }, 'session')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Forgejo-Signature', description: 'HMAC-SHA256 of the raw body with FORGEJO_WEBHOOK_SECRET (or X-Gitea-Signature, X-Hub-Signature-256)' }, 'forgejo-signature')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...(SCHEMAS as NonNullable<typeof document.components>['schemas']) } };
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });
}

const CONVERTERS: Record<string, ISchemaConverters[string]> = {
  isTimestamp: { type: 'string', format: 'date-time' },
  // Without the library's `type: number`, which would overwrite IsInt's `integer`.
  min: (meta) => ({ minimum: meta.constraints[0] as number }),
  max: (meta) => ({ maximum: meta.constraints[0] as number }),
  // @IsOptional lets null through as well as a missing property.
  conditionalValidation: (meta) => (meta.name === IS_OPTIONAL ? { nullable: true } : {}),
};

let described = false;

/**
 * The class-validator decorators are the one statement of what a body or query accepts; this turns
 * them into the swagger properties of each DTO, so the document cannot drift from the validation.
 */
function describeDtosByTheirValidators(): void {
  if (described) return;
  described = true;
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<new () => object, unknown[]> };
  for (const dto of storage.validationMetadatas.keys()) {
    const schema = targetConstructorToSchema(dto, { additionalConverters: CONVERTERS });
    const required = new Set(schema.required ?? []);
    const defaults = defaultsOf(dto);
    for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) {
      const options = { ...propertySchema, required: required.has(property), default: defaults[property] } as Parameters<typeof ApiProperty>[0] & { items?: unknown };
      // A list of nested DTOs (`@Type`): the converter knows only "Array"; the document names their class.
      const nested = defaultMetadataStorage.findTypeMetadata(dto, property);
      if (nested && options.items) {
        delete options.items;
        Object.assign(options, { type: [nested.typeFunction()] });
      }
      ApiProperty(options)(dto.prototype, property);
    }
  }
}

function defaultsOf(dto: new () => object): Record<string, unknown> {
  try {
    return { ...(new dto() as Record<string, unknown>) };
  } catch {
    return {};
  }
}
