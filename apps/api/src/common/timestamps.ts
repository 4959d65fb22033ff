import { registerDecorator, type ValidationOptions } from 'class-validator';
import { DomainError } from './errors.js';

/** How far in the future a deployment may be dated (clocks drift a little; more is a mistake). */
export const MAX_FUTURE_MS = 5 * 60_000;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * Parses an RFC 3339 timestamp that carries a zone (`Z` or an offset) and names a real instant
 * (no February 30th, no hour 24). Returns epoch milliseconds, or `undefined` when it is not one.
 */
export function parseRfc3339(value: string): number | undefined {
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (year < 1 || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  local.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  if (local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) return undefined;
  const sign = match[8]?.startsWith('-') ? -1 : 1;
  const fraction = match[7] ? Number(match[7]) * 1000 : 0;
  return local.getTime() + fraction - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/**
 * A valid RFC 3339 timestamp in UTC (`Z`), its fraction of a second kept as written: RFC 3339 allows
 * offsets PostgreSQL does not (beyond ±15:59), and an offset moves whole minutes, never the fraction.
 */
export function toUtc(value: string): string {
  const instant = parseRfc3339(value);
  if (instant === undefined) throw new Error(`not an RFC 3339 timestamp: ${value}`);
  const fraction = RFC3339.exec(value)![7] ?? '';
  return `${new Date(Math.floor(instant / 1000) * 1000).toISOString().slice(0, 19)}${fraction}Z`;
}

/** An RFC 3339 timestamp with a zone, at most `maxFutureMs` after the moment it is validated. */
export function IsTimestamp(options: { maxFutureMs?: number } = {}, validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimestamp',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          const instant = parseRfc3339(value);
          if (instant === undefined) return false;
          return options.maxFutureMs === undefined || instant <= Date.now() + options.maxFutureMs;
        },
        defaultMessage(args) {
          const value: unknown = args?.value;
          if (typeof value === 'string' && parseRfc3339(value) !== undefined) {
            return `must not be more than ${Math.round((options.maxFutureMs ?? 0) / 60_000)} minutes in the future`;
          }
          return 'must be an RFC 3339 timestamp with a time zone, e.g. 2026-05-14T10:00:00Z';
        },
      },
    });
}

/** An optional [from, to) range from validated query timestamps; `from` after `to` is a 400. */
export function timeRange(fromText: string | undefined, toText: string | undefined): { from: Date | null; to: Date | null } {
  const from = fromText === undefined ? null : new Date(parseRfc3339(fromText)!);
  const to = toText === undefined ? null : new Date(parseRfc3339(toText)!);
  if (from && to && from > to) {
    throw new DomainError('validation_failed', 'from must not be after to', [{ field: 'from', message: 'must not be after to' }]);
  }
  return { from, to };
}
