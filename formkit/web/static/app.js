// Loaded as a module, so it runs only in browsers GOV.UK Frontend supports; no inline script.
import { initAll } from "./govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
