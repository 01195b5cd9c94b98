// GOV.UK Frontend 5 is an ES module: start its components once the page has loaded.
import { initAll } from "../dist/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
