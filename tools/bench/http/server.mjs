// One server of the HTTP benchmark (run.mjs starts it as a child process, so its CPU is its own): answers
// POST /api/v1/dora/deployments with 201 and `{ id, deduped: false }`. `node server.mjs raw|express|fastify`:
//   raw      node:http and JSON.parse, nothing else (the floor: no framework, no validation);
//   express  NestJS on @nestjs/platform-express: one controller taking `@Body() body: CreateDeploymentDto`
//            (the real DTO, from apps/api/dist) through the app's real global RequestValidationPipe;
//   fastify  the same Nest module on @nestjs/platform-fastify.
// Tells its parent its port over IPC, then answers each 'cpu' message with process.cpuUsage().
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { RequestValidationPipe } from '../../../apps/api/dist/common/validation.js';
import { CreateDeploymentDto } from '../../../apps/api/dist/modules/ingest/dto/create-deployment.dto.js';

const PATH = '/api/v1/dora/deployments';

/** The decorated TypeScript controller, decorators applied by hand (plain .mjs has no decorator syntax). */
class DeploymentsController {
  ingest(body) {
    // Proves the pipe ran (transform: true answers an instance of the DTO); costs nothing measurable.
    if (!(body instanceof CreateDeploymentDto)) throw new Error('the body did not go through the validation pipe');
    return { id: randomUUID(), deduped: false };
  }
}
const ingest = Object.getOwnPropertyDescriptor(DeploymentsController.prototype, 'ingest');
Post()(DeploymentsController.prototype, 'ingest', ingest);
HttpCode(201)(DeploymentsController.prototype, 'ingest', ingest);
Body()(DeploymentsController.prototype, 'ingest', 0);
Reflect.defineMetadata('design:paramtypes', [CreateDeploymentDto], DeploymentsController.prototype, 'ingest'); // what tsc emits: the pipe's metatype
Controller(PATH.slice(1))(DeploymentsController);

class BenchModule {}
Module({ controllers: [DeploymentsController] })(BenchModule);

async function nest(adapter) {
  const app = adapter ? await NestFactory.create(BenchModule, adapter, { logger: false }) : await NestFactory.create(BenchModule, { logger: false });
  app.useGlobalPipes(new RequestValidationPipe()); // as apps/api/src/app.ts does
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer().address().port;
}

function raw() {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== PATH) return response.writeHead(404).end();
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return response.writeHead(400).end();
      }
      response.writeHead(201, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ id: randomUUID(), deduped: false }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

const kind = process.argv[2];
let port;
if (kind === 'raw') port = await raw();
else if (kind === 'express') port = await nest();
else if (kind === 'fastify') {
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  port = await nest(new FastifyAdapter());
} else throw new Error(`unknown server ${kind}: raw, express or fastify`);

process.on('message', (message) => message === 'cpu' && process.send({ cpu: process.cpuUsage() }));
process.on('disconnect', () => process.exit(0));
process.send({ port });
