/** Longest glob pattern accepted anywhere (claims today, team rules later). Globs live in the contract: the SPA previews them too. */
export const MAX_GLOB_LENGTH = 256;

/**
 * A glob where `*` matches any run of characters (slashes included) and `?` exactly one; every other
 * character matches itself. Matched as a nondeterministic automaton over the pattern's positions,
 * one bit per position (Shift-And), so the time is linear in the value's length — never a
 * backtracking regular expression built from user input, which an adversarial pattern such as
 * `*a*a*a*a*!` turns into minutes of CPU for a few hundred characters.
 */
export class Glob {
  private readonly tokens: string[];
  /** Bit i: token i is `*`. */
  private readonly stars: Uint32Array;
  /** Bit i: token i is `?` (matches any character). */
  private readonly anyChar: Uint32Array;
  /** Per literal character, bit i: token i is that character. */
  private readonly literal = new Map<string, Uint32Array>();
  private readonly words: number;

  constructor(readonly pattern: string) {
    if (pattern.length > MAX_GLOB_LENGTH) throw new RangeError(`a pattern has at most ${MAX_GLOB_LENGTH} characters`);
    // Consecutive stars match what one does; collapsing them keeps the star closure a single step.
    this.tokens = [...pattern].filter((token, i, all) => token !== '*' || all[i - 1] !== '*');
    // One bit per state: state i = "the first i tokens matched"; state tokens.length = accepted.
    this.words = Math.ceil((this.tokens.length + 1) / 32);
    this.stars = new Uint32Array(this.words);
    this.anyChar = new Uint32Array(this.words);
    this.tokens.forEach((token, i) => {
      if (token === '*') setBit(this.stars, i);
      else if (token === '?') setBit(this.anyChar, i);
      else {
        let mask = this.literal.get(token);
        if (!mask) this.literal.set(token, (mask = new Uint32Array(this.words)));
        setBit(mask, i);
      }
    });
  }

  matches(value: string): boolean {
    let state = new Uint32Array(this.words);
    setBit(state, 0);
    this.closeOverStars(state);
    let next = new Uint32Array(this.words);
    for (const char of value) {
      const literal = this.literal.get(char);
      let carry = 0;
      let alive = 0;
      for (let w = 0; w < this.words; w++) {
        const active = state[w]!;
        // A state advances over a token that accepts the character; a star also keeps its state.
        const advancing = active & (this.anyChar[w]! | (literal ? literal[w]! : 0));
        next[w] = ((advancing << 1) | carry | (active & this.stars[w]!)) >>> 0;
        carry = advancing >>> 31;
        alive |= next[w]!;
      }
      if (alive === 0) return false;
      this.closeOverStars(next);
      [state, next] = [next, state];
    }
    const accepting = this.tokens.length;
    return (state[accepting >>> 5]! & (1 << (accepting & 31))) !== 0;
  }

  /** A star may match nothing: a state before a star is also the state after it. */
  private closeOverStars(state: Uint32Array): void {
    let carry = 0;
    for (let w = 0; w < this.words; w++) {
      const skipping = state[w]! & this.stars[w]!;
      state[w] = (state[w]! | (skipping << 1) | carry) >>> 0;
      carry = skipping >>> 31;
    }
  }
}

function setBit(bits: Uint32Array, i: number): void {
  bits[i >>> 5] = bits[i >>> 5]! | (1 << (i & 31));
}
