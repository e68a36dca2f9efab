import { describe, expectTypeOf, it } from 'vitest';
import type { ClusterDiagnostic, Diagnostic, LockerKind } from '../../../broker/config/index.js';
import type { BrokerView } from '../../cluster/broker-handle.js';
import type { ProcessExit } from '../../cluster/process-launcher.js';
import type { LinkState } from '../../store-host/index.js';
import type { BrokerStatus, ClusterConfigDiagnostic, ConfigDiagnostic, ExitView, LinkView, LockerKindView } from './index.js';

/**
 * The contract defines its views itself (it imports no implementation file); these say that what
 * the implementations produce is exactly what the contract promises, so the two cannot drift.
 */
describe('the LabApi contract against the implementations', () => {
  it('describes the config loader\'s diagnostics exactly', () => {
    expectTypeOf<ConfigDiagnostic>().toEqualTypeOf<Diagnostic>();
    expectTypeOf<ClusterConfigDiagnostic>().toEqualTypeOf<ClusterDiagnostic>();
    expectTypeOf<LockerKindView>().toEqualTypeOf<LockerKind>();
  });

  it('describes a broker, its link and its exit as the lab host keeps them', () => {
    expectTypeOf<LinkView>().toEqualTypeOf<LinkState>();
    expectTypeOf<ExitView>().toEqualTypeOf<ProcessExit>();
    expectTypeOf<Omit<BrokerStatus, 'configFile' | 'link'>>().toEqualTypeOf<BrokerView>();
  });
});
