import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, MaxLength } from 'class-validator';

const SEGMENT = '[A-Za-z0-9._-]+';

/** `owner/name`: 2 or more segments of letters, digits, "-", "_" and "." — as ingest stores it and every filter matches it. */
export function IsRepoFullName() {
  return applyDecorators(
    IsString(),
    MaxLength(255),
    Matches(new RegExp(`^${SEGMENT}(/${SEGMENT})+$`), { message: 'must be owner/name: 2 or more segments of letters, digits, "-", "_" and "."' }),
  );
}

/** 1-64 characters of letters, digits, "-", "_", "." and "/" — as ingest stores it and every filter matches it. */
export function IsEnvironment() {
  return applyDecorators(IsString(), Matches(/^[A-Za-z0-9._/-]{1,64}$/, { message: 'must be 1-64 characters of letters, digits, "-", "_", "." and "/"' }));
}

/** 1-128 characters of letters, digits, "-", "_", "." and "/": the part of a monorepo deployed. */
export function IsService() {
  return applyDecorators(IsString(), Matches(/^[A-Za-z0-9._/-]{1,128}$/, { message: 'must be 1-128 characters of letters, digits, "-", "_", "." and "/"' }));
}
