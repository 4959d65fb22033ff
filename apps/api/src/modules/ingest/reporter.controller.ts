import { readFileSync } from 'node:fs';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

/** The CI reporter (apps/reporter), one self-contained file: what `npm install -g dora-report` installs. */
const REPORTER = readFileSync(new URL('../../../../reporter/dora-report.mjs', import.meta.url), 'utf8');

/** `GET /reporter.mjs`: the reporter for a Dockerfile or a shell to fetch from the service it reports to (README, "Wiring it in"). */
@ApiTags('Ingest')
@Controller()
export class ReporterController {
  @Get('reporter.mjs')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The CI reporter, dora-report, as one JavaScript file for Node 20 (no authentication)' })
  @ApiResponse({ status: 200, description: 'The reporter: `node reporter.mjs --help`', content: { 'text/javascript': { schema: { type: 'string' } } } })
  reporter(): string {
    return REPORTER;
  }
}
