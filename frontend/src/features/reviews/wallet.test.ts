import { describe, expect, it } from 'vitest';
import type { Schemas } from '../../api/client';
import { newSigningKey, suite } from '../../test/signingKeys';
import {
  formatCode,
  newRecoveryCode,
  openWallet,
  parseCode,
  sealWallet,
  WrongCode,
} from './recovery';
import {
  b64,
  obtainTokens,
  recorded,
  saveTokens,
  tokensOf,
  unb64,
  walletTokens,
  type Token,
} from './wallet';

const token = (over: Partial<Token> = {}): Token => ({
  round_id: 'round-1',
  submission_id: 'sub-1',
  key_id: 'key-1',
  prepared_message: 'cHJlcGFyZWQ=',
  signature: 'c2lnbmF0dXJl',
  state: 'unsent',
  ...over,
});

describe('the token wallet', () => {
  it('makes tokens the service accepts: one per submission, signed blind, kept here', async () => {
    const keys = await Promise.all(
      ['sub-a', 'sub-b'].map(async (submission_id) => {
        const { pair, spki } = await newSigningKey();
        return { submission_id, key_id: `key-${submission_id}`, spki, pair };
      }),
    );
    const manifest = { round_id: 'round-x', keys } as unknown as Schemas['RoundManifest'];
    const progress: [number, number][] = [];
    const tokens = await obtainTokens(
      manifest,
      ['sub-a', 'sub-b'],
      async (blinded) =>
        ({
          signatures: await Promise.all(
            blinded.map(async (b) => {
              const key = keys.find((k) => k.submission_id === b.submission_id)!;
              const signed = await suite.blindSign(key.pair.privateKey, unb64(b.blinded_message));
              return {
                submission_id: b.submission_id,
                key_id: key.key_id,
                blind_signature: b64(signed),
              };
            }),
          ),
        }) as Schemas['IssuanceResponse'],
      (done, total) => progress.push([done, total]),
    );

    expect(tokens.map((t) => [t.submission_id, t.state])).toEqual([
      ['sub-a', 'unsent'],
      ['sub-b', 'unsent'],
    ]);
    for (const t of tokens) {
      const key = keys.find((k) => k.submission_id === t.submission_id)!;
      await expect(
        suite.verify(key.pair.publicKey, unb64(t.signature), unb64(t.prepared_message)),
      ).resolves.toBe(true);
    }
    expect(progress.at(-1)).toEqual([4, 4]);
    // Kept in this browser for this round only.
    expect((await tokensOf('round-x')).map((t) => t.submission_id).sort()).toEqual([
      'sub-a',
      'sub-b',
    ]);
    expect(await tokensOf('another-round')).toEqual([]);
  }, 30_000);

  it('refuses to ask for tokens when the manifest lacks a submission', async () => {
    const manifest = { round_id: 'r', keys: [] } as unknown as Schemas['RoundManifest'];
    await expect(
      obtainTokens(
        manifest,
        ['sub-z'],
        async () => ({ signatures: [] }),
        () => {},
      ),
    ).rejects.toThrow(/no key/);
  });

  it('reads records from before review states: sent means recorded', async () => {
    const legacy = [
      { ...token({ round_id: 'old', submission_id: 's1' }), state: undefined, sent: true },
      { ...token({ round_id: 'old', submission_id: 's2' }), state: undefined, sent: false },
    ] as unknown as Token[];
    await saveTokens(legacy);
    const states = (await tokensOf('old')).map((t) => [t.submission_id, t.state]);
    expect(states).toEqual([
      ['s1', 'committed'],
      ['s2', 'unsent'],
    ]);
  });

  it('forgets the token and the review once a review is recorded', () => {
    const r = recorded(
      token({ state: 'pending', review: { comment: 'secret' } as Token['review'] }),
    );
    expect(r).toEqual({
      round_id: 'round-1',
      submission_id: 'sub-1',
      key_id: 'key-1',
      prepared_message: '',
      signature: '',
      state: 'committed',
    });
  });

  it('puts in a recovery wallet only the tokens that can still be used', () => {
    const kept = walletTokens([
      token({ submission_id: 'a' }),
      recorded(token({ submission_id: 'b' })),
    ]);
    expect(kept).toEqual([
      {
        submission_id: 'a',
        key_id: 'key-1',
        prepared_message: 'cHJlcGFyZWQ=',
        signature: 'c2lnbmF0dXJl',
      },
    ]);
  });

  it('reads base64url as the service writes it', () => {
    const bytes = Uint8Array.from([251, 255, 190, 0]);
    expect(b64(bytes)).toBe('+/++AA==');
    expect(unb64('-_-- AA=='.replace(' ', ''))).toEqual(bytes);
  });
});

describe('the recovery code', () => {
  it('reads back what was written, forgiving case, dashes and look-alike letters', () => {
    const code = newRecoveryCode();
    const written = formatCode(code);
    expect(written).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{2}$/);
    expect(parseCode(written)).toEqual(code);
    const sloppy = written.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseCode(sloppy)).toEqual(code);
  });

  it('rejects what cannot be a code', () => {
    expect(parseCode('1234')).toBeNull();
    expect(parseCode('U'.repeat(26))).toBeNull();
  });

  it('opens the sealed wallet with the code, and only with the code, purpose and id', async () => {
    const code = newRecoveryCode();
    const tokens = walletTokens([token()]);
    const round1 = { purpose: 'review', id: 'round-1' } as const;
    const blob = await sealWallet(code, round1, tokens);
    expect(blob).not.toContain('c2lnbmF0dXJl');
    await expect(openWallet(code, round1, blob)).resolves.toEqual(tokens);
    await expect(openWallet(newRecoveryCode(), round1, blob)).rejects.toBeInstanceOf(WrongCode);
    await expect(
      openWallet(code, { purpose: 'review', id: 'round-2' }, blob),
    ).rejects.toBeInstanceOf(WrongCode);
    // A rating wallet is keyed apart from a review wallet even under the same id.
    await expect(
      openWallet(code, { purpose: 'rating', id: 'round-1' }, blob),
    ).rejects.toBeInstanceOf(WrongCode);
  });
});
