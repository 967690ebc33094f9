import { useEffect, useState } from 'react';

/** The one-time code a mailed link carries after `#code=` (or `#<name>=`, e.g. an
 * invitation's): the fragment never reaches the server's logs or a Referer header; the page
 * reads it and posts it. */
export function useLinkCode(name = 'code'): string | null {
  const [code] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get(name));
  useEffect(() => {
    // Out of the address bar and the history once read.
    if (window.location.hash)
      window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  return code;
}
