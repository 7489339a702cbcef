import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { readOAuthParams, type OAuthParams } from '../../src/tokens/http/readOAuthParams.js';

/** Reads one request's parameters on a real server and hands them to the test. */
async function paramsOf(body: string, contentType: string): Promise<OAuthParams> {
  let params: OAuthParams | undefined;
  const server: Server = createServer((req, res) => {
    readOAuthParams(req).then(
      (read) => {
        params = read;
        res.end('ok');
      },
      (error: Error) => res.writeHead(400).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-type': contentType } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).to.equal(200);
    return params!;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const INHERITED_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('OAuth request parameters', () => {
  it('given a form body without them, then names an ordinary object inherits read as absent', async () => {
    const params = await paramsOf('grant_type=client_credentials', 'application/x-www-form-urlencoded');
    for (const name of INHERITED_NAMES) expect(params[name], name).to.equal(undefined);
    expect(Object.keys(params)).to.deep.equal(['grant_type']);
  });

  it('given a form body naming them, then they are ordinary parameters and change nothing else', async () => {
    const body = INHERITED_NAMES.map((name) => `${encodeURIComponent(name)}=${name}-value`).join('&');
    const params = await paramsOf(`${body}&grant_type=client_credentials`, 'application/x-www-form-urlencoded');
    for (const name of INHERITED_NAMES) {
      expect(Object.getOwnPropertyDescriptor(params, name)?.value, name).to.equal(`${name}-value`);
    }
    expect(params.grant_type).to.equal('client_credentials');
    expect(({} as Record<string, unknown>).grant_type, 'Object.prototype untouched').to.equal(undefined);
    const other = await paramsOf('scope=a', 'application/x-www-form-urlencoded');
    for (const name of INHERITED_NAMES) expect(other[name], `${name} of the next request`).to.equal(undefined);
  });

  it('given a JSON body with a constructor member, then it is a parameter, and the parameters inherit from nothing', async () => {
    const params = await paramsOf('{"grant_type":"client_credentials","constructor":"x"}', 'application/json');
    expect(params.constructor).to.equal('x');
    expect(Object.getPrototypeOf(Object.getPrototypeOf(params))).to.equal(null);
  });
});
