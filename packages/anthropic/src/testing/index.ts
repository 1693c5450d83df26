export { createAnthropicFake, errorBody, type AnthropicFake, type AnthropicFakeOptions } from './anthropic-fake';
export { FakeOrgStore, FakeRefusal, type FakeOrgOptions } from './anthropic-fake-store';
