// Operator tools for the developer running vipps-local: health, test clock, reset.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { FaceContext } from '../face-context.ts';

export const OPERATOR_PREFIX = '/vipps-local/v1';

const AdvanceClock = Type.Object(
  {
    seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 * 24 * 3600 })),
    minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 * 24 * 60 })),
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 })),
  },
  { additionalProperties: false },
);

export interface OperatorOptions {
  testClock: boolean;
  reset(): Promise<void>;
}

export async function operatorRoutes(app: FastifyInstance, ctx: FaceContext, options: OperatorOptions): Promise<void> {
  const clockState = () => ({ now: new Date(ctx.clock.now()).toISOString(), offsetSeconds: Math.floor(ctx.clock.offset / 1000), testClock: options.testClock });

  app.get('/health', async () => ({ status: 'ok', time: new Date(ctx.clock.now()).toISOString() }));

  app.get('/clock', async () => clockState());

  app.post<{ Body: Static<typeof AdvanceClock> }>('/clock/advance', { schema: { body: AdvanceClock } }, async (req, reply) => {
    if (!options.testClock) return reply.code(403).send({ statusCode: 403, message: 'The test clock is disabled (--no-test-clock).' });
    const { seconds = 0, minutes = 0, days = 0 } = req.body;
    ctx.clock.advance(((days * 24 + 0) * 3600 + minutes * 60 + seconds) * 1000);
    const settled = await ctx.engine.settleDuePayments();
    return { ...clockState(), settledPayments: settled };
  });

  app.post('/reset', async () => {
    await options.reset();
    return { status: 'reset' };
  });
}
