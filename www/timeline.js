// The step timeline of every view (Sudoku, ARC, Maze): back, play/pause, forward, a scrubber
// and a label, over the supervision steps received so far. While a run is live, new steps
// arrive; the view follows the newest one unless the visitor has moved away from it, and
// playback waits at the end for the next step instead of stopping.

export const PLAY_MS = 700;

export class Timeline {
  /**
   * @param {string} prefix the view's id prefix ('' for Sudoku, 'arc-', 'maze-'): the controls
   *   come from index.html's one #timeline-template into the view's [data-timeline=prefix]
   *   slot, with ids `${prefix}back`, `${prefix}play`, `${prefix}forward`, `${prefix}scrub`
   *   and `${prefix}step-label`
   * @param {(k: number) => void} onGoto called after the current step changes
   * @param {{live?: () => boolean, label?: (current: number, count: number, live: boolean) => string}} options
   */
  constructor(prefix, onGoto, { live = () => false, label } = {}) {
    const slot = document.querySelector(`[data-timeline="${prefix}"]`);
    slot.replaceWith(document.getElementById('timeline-template').content.cloneNode(true));
    const parts = {};
    for (const el of document.querySelectorAll('[data-part]:not([id])')) {
      el.id = `${prefix}${el.dataset.part}`;
      parts[el.dataset.part] = el;
    }
    this.back = parts.back;
    this.playButton = parts.play;
    this.forward = parts.forward;
    this.scrub = parts.scrub;
    this.labelEl = parts['step-label'];
    this.onGoto = onGoto;
    this.live = live;
    this.label = label ?? ((current, count) => (count ? `Step ${current + 1} of ${count}` : 'No steps yet'));
    this.count = 0;
    this.current = -1;
    this.follow = true;
    this.timer = null;
    this.back.addEventListener('click', () => this.goto(this.current - 1));
    this.forward.addEventListener('click', () => this.goto(this.current + 1));
    this.scrub.addEventListener('input', (e) => this.goto(Number(e.target.value) - 1));
    this.playButton.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
  }

  get playing() {
    return this.timer !== null;
  }

  /** No steps: a new run starts, and the view follows it. */
  reset() {
    this.pause();
    this.count = 0;
    this.current = -1;
    this.follow = true;
    this.render();
  }

  /** `count` steps are known now. Does not call onGoto: the caller redraws. */
  set(count) {
    this.count = count;
    if ((this.follow && !this.playing) || this.current >= count) this.current = count - 1;
    this.render();
  }

  goto(k, { keepPlaying = false } = {}) {
    if (!this.count) return;
    if (!keepPlaying) this.pause();
    this.current = Math.max(0, Math.min(this.count - 1, k));
    this.follow = this.current === this.count - 1;
    this.render();
    this.onGoto(this.current);
  }

  play() {
    if (this.count < 1) return;
    if (this.current >= this.count - 1 && !this.live()) this.goto(0);
    this.follow = false;
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.current < this.count - 1) this.goto(this.current + 1, { keepPlaying: true });
      else if (!this.live()) this.pause();
    }, PLAY_MS);
    this.render();
  }

  pause() {
    if (!this.playing) return;
    clearInterval(this.timer);
    this.timer = null;
    this.follow = this.current === this.count - 1;
    this.render();
  }

  render() {
    const n = this.count;
    this.back.disabled = this.current <= 0;
    this.forward.disabled = this.current >= n - 1;
    this.scrub.disabled = n < 2;
    this.scrub.max = String(Math.max(1, n));
    this.scrub.value = String(Math.max(1, this.current + 1));
    this.scrub.setAttribute('aria-valuetext', n ? `step ${this.current + 1} of ${n}` : 'no steps');
    const playing = this.playing;
    this.playButton.disabled = n < 2 && !playing;
    this.playButton.textContent = playing ? '❚❚ Pause' : '▶ Play';
    this.playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    this.playButton.title = playing ? 'Pause' : 'Play';
    this.labelEl.textContent = this.label(this.current, n, this.live());
  }
}
