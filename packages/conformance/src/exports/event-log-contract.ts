// `@flowllm/conformance/event-log-contract`: the EventLog contract for stores outside core.
export { collectFollow, eventually, runEventLogContract } from '../event-log-contract.js';
