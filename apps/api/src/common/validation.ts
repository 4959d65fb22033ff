import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ApiErrorDetail } from '@dora/domain';
import { DomainError } from './errors.js';

/**
 * The one global pipe: validates every body and query against its DTO class, rejects unknown fields by
 * name, and reports every problem as `validation_failed` with one detail per field.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const details = errors.flatMap((error) => toDetails(error, ''));
        const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
        return new DomainError('validation_failed', `Invalid request: ${summary}`, details);
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && !isPlainObject(value)) {
      throw new DomainError('validation_failed', 'Request body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

function toDetails(error: ValidationError, parent: string): ApiErrorDetail[] {
  const field = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
    field,
    message: constraint === 'whitelistValidation' ? 'is not a known field' : withoutFieldName(message, error.property),
  }));
  // One message per field is enough to act on. DTOs list the type check last, so it runs (and is reported) first.
  return [...own.slice(0, 1), ...(error.children ?? []).flatMap((child) => toDetails(child, field))];
}

/** class-validator messages start with the property name; the detail names the field separately. */
function withoutFieldName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
