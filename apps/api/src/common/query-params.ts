import { Transform } from 'class-transformer';

/** Query strings are text: a number parameter becomes a number (or NaN, which the validators refuse). */
export const ToNumber = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value));

/** `true` and `false` become booleans; anything else stays as sent and fails `@IsBoolean`. */
export const ToBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
