import { useState } from 'react';

/** Copies `text` to the clipboard and says whether it did (a browser may refuse: then the text is there to select). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button type="button" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className={state === 'failed' ? 'error' : 'ok'}>
        {state === 'copied' ? ' Copied' : state === 'failed' ? ' Could not copy: select the text and copy it' : ''}
      </span>
    </>
  );
}
