/**
 * A windowed grid: of a long list, only the cards near the viewport are in the DOM; the
 * rest is padding of the right height, so the page scrolls as if all were there. The
 * list stays responsive with 10,000 credentials (a few dozen cards exist at any time).
 *
 * Hand-written (about a hundred lines) rather than a library: the page is plain DOM with
 * no framework, the extension ships no runtime dependency it can avoid, and the one thing
 * needed — rows of a responsive CSS grid whose cards vary in height — is simple to do
 * here: the column count comes from the grid's own computed tracks, row heights are
 * measured once rendered and estimated (their running mean) until then.
 *
 * The grid scrolls with the page (window scroll), as the unwindowed list did. Each card
 * gets aria-setsize / aria-posinset, so assistive technology hears "n of N". Short lists
 * (up to ALL_BELOW cards) are rendered whole.
 */
export const ALL_BELOW = 120;
/** Extra height rendered above and below the viewport, in viewports. */
const OVERSCAN = 1;
const FIRST_GUESS = 200;

export interface WindowedGrid<T> {
  /** Show these items (a new search, sort or list); scroll position is kept. */
  set(items: readonly T[]): void;
  /** Lay out again (after the list was hidden and is shown: nothing could be measured). */
  refresh(): void;
  /** The rendered range, for tests and the bench: [first, end). */
  readonly rendered: { first: number; end: number };
}

export function windowedGrid<T>(ul: HTMLElement, render: (item: T) => HTMLElement): WindowedGrid<T> {
  let items: readonly T[] = [];
  let cols = 1;
  let heights: number[] = [];
  let measuredSum = 0;
  let measuredCount = 0;
  let first = 0;
  let end = 0;

  const gapPx = () => Number.parseFloat(getComputedStyle(ul).rowGap) || 0;
  const columns = () => {
    const tracks = getComputedStyle(ul).gridTemplateColumns.split(' ').filter((t) => t !== '' && t !== 'none');
    return Math.max(1, tracks.length);
  };
  const estimate = () => (measuredCount > 0 ? measuredSum / measuredCount : FIRST_GUESS);
  const rowHeight = (r: number) => heights[r] ?? estimate();

  function resetHeights(): void {
    heights = [];
    measuredSum = 0;
    measuredCount = 0;
  }

  function update(force: boolean): void {
    const c = columns();
    if (c !== cols) {
      cols = c;
      resetHeights();
      force = true;
    }
    const rows = Math.ceil(items.length / cols);
    const gap = gapPx();
    let r0 = 0;
    let r1 = rows;
    if (items.length > ALL_BELOW) {
      const top = ul.getBoundingClientRect().top;
      const from = -top - OVERSCAN * innerHeight;
      const to = -top + (1 + OVERSCAN) * innerHeight;
      let y = 0;
      r0 = rows;
      r1 = rows;
      for (let r = 0; r < rows; r++) {
        const h = rowHeight(r);
        if (r0 === rows && y + h >= from) r0 = r;
        if (y > to) {
          r1 = r;
          break;
        }
        y += h + gap;
      }
      if (r0 === rows) r0 = Math.max(0, rows - 1);
      r1 = Math.max(r1, Math.min(rows, r0 + 1));
    }
    const f = r0 * cols;
    const e = Math.min(items.length, r1 * cols);
    if (!force && f === first && e === end) return;
    first = f;
    end = e;
    const cards = items.slice(f, e).map((item, i) => {
      const li = render(item);
      li.setAttribute('aria-setsize', String(items.length));
      li.setAttribute('aria-posinset', String(f + i + 1));
      return li;
    });
    // Keep focus on a card's control when its card is rendered again.
    const active = document.activeElement;
    const focusKey = active && ul.contains(active) ? focusKeyOf(active) : null;
    ul.replaceChildren(...cards);
    if (focusKey) restoreFocus(ul, focusKey);
    // Measure the rows now in the DOM (a grid row's cards all have the row's height).
    for (let r = r0; r < r1; r++) {
      const card = cards[(r - r0) * cols] as HTMLElement | undefined;
      if (!card) continue;
      const h = card.offsetHeight;
      // A hidden list has nothing to measure: keep the estimate until it is shown.
      if (h === 0) continue;
      if (heights[r] === undefined) {
        measuredSum += h;
        measuredCount += 1;
      }
      heights[r] = h;
    }
    let above = 0;
    for (let r = 0; r < r0; r++) above += rowHeight(r) + gap;
    let below = 0;
    for (let r = r1; r < rows; r++) below += gap + rowHeight(r);
    ul.style.paddingTop = `${above}px`;
    ul.style.paddingBottom = `${below}px`;
  }

  // Browsers dispatch scroll events at most once a frame: the update runs in the handler
  // (no requestAnimationFrame, which a tab in the background does not run).
  addEventListener('scroll', () => {
    if (items.length > ALL_BELOW) update(false);
  }, { passive: true });
  addEventListener('resize', () => {
    if (items.length > 0) update(false);
  });

  return {
    set(next) {
      items = next;
      resetHeights();
      update(true);
    },
    refresh() {
      update(true);
    },
    get rendered() {
      return { first, end };
    },
  };
}

/** Which control had focus: the card's data-label and the control's text. */
function focusKeyOf(el: Element): { label: string; text: string } | null {
  const card = el.closest('[data-label]');
  if (!card) return null;
  return { label: card.getAttribute('data-label') ?? '', text: el.textContent ?? '' };
}

function restoreFocus(ul: HTMLElement, key: { label: string; text: string }): void {
  const card = [...ul.children].find((c) => c.getAttribute('data-label') === key.label);
  const target = card && [...card.querySelectorAll<HTMLElement>('button')].find((b) => b.textContent === key.text);
  target?.focus({ preventScroll: true });
}
