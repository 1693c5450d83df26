export {
  createAnthropicFake,
  errorBody,
  type AnthropicFake,
  type AnthropicFakeOptions,
  type FakeKey,
  type FakeSettings,
  type FakeRbacGroup,
  type FakeLinkedOrg,
} from './anthropic-fake';
export { FakeOrgStore, FakeRefusal, MODE_REFUSALS, type FakeOrgOptions } from './anthropic-fake-store';
