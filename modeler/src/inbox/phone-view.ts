/**
 * On a phone (the page narrower than PHONE_QUERY) the list and the task are
 * two views: opening a task shows it alone, with a button back to the list,
 * and the browser's back button does the same (opening pushes a history
 * entry, #task=<id>). On a desktop both stay side by side; the class below
 * only matters to the phone's stylesheet there.
 */
export const PHONE_QUERY = '(max-width: 820px)';

export const isPhone = () => matchMedia(PHONE_QUERY).matches;

export function showTaskView(root: HTMLElement, open: boolean): void {
  root.classList.toggle('showing-task', open);
  // The view left behind is display:none on a phone, so its scroll position means nothing: start at the top.
  if (isPhone()) window.scrollTo({ top: 0 });
}
