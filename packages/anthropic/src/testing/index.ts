export {
  createAnthropicFake,
  errorBody,
  type AnthropicFake,
  type AnthropicFakeOptions,
  type FakeKey,
  type FakeRbacGroup,
  type FakeLinkedOrg,
} from './anthropic-fake';
export {
  FakeOrgStore,
  FakeRefusal,
  MODE_REFUSALS,
  type FakeOrgOptions,
  type FakeSettings,
} from './anthropic-fake-store';
export type { FakeActorSpec, FakeActivityActor } from './anthropic-fake-activities';
