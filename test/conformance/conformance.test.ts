// The face conformance suite: every scenario of scenarios.ts through every face's driver, on the
// store under test (SQLite, and PostgreSQL in npm test's second pass). A skipped scenario names its reason.
import { after, before, describe, it } from 'node:test';
import type { FaceDriver } from './driver.ts';
import { epaymentDriver } from './drivers/epayment.ts';
import { pspDriver } from './drivers/psp.ts';
import { stripeDriver } from './drivers/stripe.ts';
import { SCENARIOS } from './scenarios.ts';
import '../../test-support/test-database.ts';

const DRIVERS: Array<() => FaceDriver> = [epaymentDriver, pspDriver, stripeDriver];

for (const make of DRIVERS) {
  const driver = make();
  describe(`conformance: ${driver.face}`, () => {
    before(() => driver.start());
    after(() => driver.stop());
    for (const scenario of SCENARIOS) {
      const skip = driver.skips[scenario.name];
      it(scenario.title, skip ? { skip } : {}, () => scenario.run(driver));
    }
  });
}
