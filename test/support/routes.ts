import type { NestExpressApplication } from '@nestjs/platform-express';

export interface AppRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route the running application serves, read from its Express router (not a hand list). */
export function appRoutes(app: NestExpressApplication): AppRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).filter((m) => m !== '_all').map((method) => ({ method: method.toUpperCase(), path: layer.route!.path })));
}

/** Fills path parameters with a syntactically valid value. */
export function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_whole, name: string) => (name === 'id' || name.endsWith('Id') ? '00000000-0000-4000-8000-000000000000' : 'x'));
}
