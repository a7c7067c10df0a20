// Preloaded (`node --import`) into a docs sample that runs: whatever port the sample's server asks for,
// it listens on a free one, and the port is reported to the test over IPC. Samples stay as users
// write them (`app.listen(8002)`), and tests never collide on a port.
export const SAMPLE_HARNESS = `import net from 'node:net';

const listen = net.Server.prototype.listen;
let reported = false;
net.Server.prototype.listen = function (...args) {
  const [first] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) args[0] = 0;
  else if (first && typeof first === 'object' && 'port' in first) args[0] = { ...first, port: 0 };
  this.once('listening', () => {
    const address = this.address();
    if (reported || !address || typeof address !== 'object') return;
    reported = true;
    process.send?.({ listening: address.port, address: address.address });
  });
  return listen.apply(this, args);
};
`;
