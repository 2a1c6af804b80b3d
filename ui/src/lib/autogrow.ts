/** Svelte action: a textarea as tall as its text (no inner scrollbar). Pass the bound value
 *  as the parameter so it re-measures when the text changes from outside. */
export function autogrow(el: HTMLTextAreaElement, _value?: string) {
  const fit = () => {
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight}px`;
  };
  const observer = new ResizeObserver(fit);
  observer.observe(el);
  el.addEventListener("input", fit);
  queueMicrotask(fit);
  return {
    update() {
      queueMicrotask(fit);
    },
    destroy() {
      observer.disconnect();
      el.removeEventListener("input", fit);
    },
  };
}
