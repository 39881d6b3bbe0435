// maatwerk caseworker page. Vanilla JavaScript, no external code; talks only to this service's API.
// Paths are relative to the page, so a proxy may serve the service under a prefix (e.g. /maatwerk/).
// Texts are set with textContent (never innerHTML), so nothing from a case can run as code.
"use strict";

const API = "api/v1";

const UI = {
  nl: {
    skip: "Naar de inhoud", navCase: "Zaak", navAdvice: "Advies", navDecision: "Besluit", navReport: "Leerrapport",
    nav: "Onderdelen", switchTo: "English", switchLang: "en",
    title: "Advies bij een overtreding of tekortkoming",
    lead: "maatwerk geeft een advies met de redenen. U beslist.",
    caseH: "1. Zaak", errorsH: "Controleer deze velden",
    uploadH: "Zaak uploaden of plakken (JSON)",
    uploadHelp: "Kies een bestand of plak de zaak. Velden die niet in het formulier staan, blijven bewaard.",
    uploadFile: "Bestand met de zaak", uploadText: "Zaak als JSON", uploadLoad: "In het formulier zetten",
    adviseBtn: "Advies vragen", adviceH: "2. Advies", adviceEmpty: "Vul eerst de zaak in en vraag een advies.",
    whatifH: "3. Wat als?", whatifHelp: "Verander één gegeven en zie wat er met het advies gebeurt. De zaak zelf blijft hetzelfde.",
    whatifField: "Gegeven", whatifValue: "Nieuwe waarde", whatifBtn: "Probeer deze wijziging",
    whatifNow: "Nu", whatifThen: "Met de wijziging", whatifWhat: "Onderdeel", whatifChanged: "gewijzigd",
    whatifSame: "De wijziging verandert de maatregel, het bedrag en de sporen niet.",
    decisionH: "4. Besluit vastleggen", dMeasure: "Besloten maatregel", dAmount: "Bedrag van de boete (€)",
    dAmountHint: "Alleen bij een boete, bijvoorbeeld 1.240,00",
    dateHint: "Als dag-maand-jaar, bijvoorbeeld 31-01-2025", moneyHint: "Bijvoorbeeld 1.600,00",
    countHint: "Een heel getal, bijvoorbeeld 3",
    e_count: "{label}: vul een heel getal in, bijvoorbeeld 3.",
    e_row: "{label}: de gegevens passen niet bij elkaar. Controleer de soort en de datums.",
    addRow: "Voeg een {item} toe", removeRow: "Verwijder {item}", rowsNone: "Geen {item} ingevuld.",
    rowAdded: "{item} toegevoegd.", rowRemoved: "{item} verwijderd.",
    formFailed: "Het formulier kon niet worden geladen. Laad de pagina opnieuw.",
    errorsLead: "Verbeter dit eerst:",
    e_required: "Vul {label} in.",
    e_invalid: "{label}: deze waarde klopt niet. Controleer wat u hebt ingevuld.",
    e_amount: "{label}: vul een bedrag in euro in, bijvoorbeeld 1.600,00 of 1600.",
    e_positive: "{label}: vul een bedrag in dat hoger is dan € 0.",
    e_date: "{label}: vul een datum in die bestaat, als dag-maand-jaar, bijvoorbeeld 31-01-2025.",
    e_upload: "{label}: de geüploade zaak zegt \u201c{value}\u201d. Dat is geen keuze die hier kan. Kies een van de keuzes.",
    e_unknownField: "De geüploade zaak bevat een gegeven dat dit formulier niet kent. Haal het uit de zaak en upload de zaak opnieuw.",
    e_otherField: "Een gegeven in de geüploade zaak dat niet in het formulier staat, klopt niet. Controleer de zaak en upload hem opnieuw.",
    e_period: "{label}: het einde van de periode ligt voor het begin. Controleer beide datums.",
    e_measure: "Kies bij {label} een maatregel uit de lijst.",
    e_notLawful: "{label}: {measure} is in deze zaak niet toegestaan. {why}",
    e_noAmount: "Vul {label} in. Een boete heeft een bedrag.",
    e_amountUnexpected: "{label}: deze maatregel heeft geen bedrag. Maak het veld leeg.",
    e_aboveBand: "{label}: het bedrag is hoger dan het wettelijk maximum van {max}. Dit maximum mag u niet overschrijden.",
    e_zero: "{label}: een boete is hoger dan € 0. Wilt u geen boete opleggen? Kies dan een andere maatregel.",
    e_reason: "Vul {label} in. {note}",
    e_exploration: "Dit advies is een verkenning van een wetsvoorstel. Daarop kunt u geen besluit nemen.",
    e_conflict: "Dit besluit is al eerder vastgelegd met andere gegevens. Vraag opnieuw advies en leg het besluit opnieuw vast.",
    e_generic: "Het besluit of advies kon niet worden verwerkt. Probeer het opnieuw. Blijft dit gebeuren? Neem dan contact op met de beheerder.",
    dCaseworkerHint: "Het besluit wordt vastgelegd op naam van wie is ingelogd, alleen als pseudoniem (een versleutelde code).",
    dCategory: "Soort reden", dReason: "Motivering in uw woorden", required: "(verplicht)",
    dReasonHint: "Deze tekst komt in de brief aan de inwoner. Schrijf kort en duidelijk.",
    recordBtn: "Besluit vastleggen", letterH: "Besluitbrief", printBtn: "Brief afdrukken",
    letterHint: "Zo krijgt de inwoner of de aanbieder het besluit. De brief is in het Nederlands, de taal van het besluit.",
    pdfBtn: "Brief downloaden (PDF)", pdfBusy: "De PDF wordt gemaakt…", pdfReady: "De PDF is gedownload.", pdfFailed: "De PDF kon niet worden gemaakt: ",
    saved: "Besluit vastgelegd als nummer {n}. Controlegetal: {h}.",
    reportH: "Leerrapport",
    reportPeriod: "Per", month: "maand", quarter: "kwartaal", year: "jaar", reportBtn: "Rapport tonen",
    foot: "maatwerk geeft advies; een medewerker beslist. Er worden geen gegevens naar andere websites gestuurd.",
    busy: "Advies wordt berekend…", ready: "Advies berekend.", invalid: "De zaak heeft fouten. Zie de lijst bovenaan.",
    whatifReady: "Wat-als-advies berekend.", recordBusy: "Besluit wordt vastgelegd…", recorded: "Besluit vastgelegd.",
    stale: "De zaak is veranderd na het advies. Vraag eerst opnieuw advies; dan legt u het besluit vast op dat advies.",
    loaded: "Zaak in het formulier gezet.", jsonBad: "Dit is geen geldige JSON: ", failed: "Er ging iets mis: ",
    domainSwitched: "Het formulier is aangepast aan de soort zaak.",
    choose: "Kies…", unknown: "onbekend", yes: "ja", no: "nee", notYet: "nog niet vastgesteld",
    measure: "Geadviseerde maatregel", band: "Bandbreedte", from: "van", to: "tot",
    tracks: "Sporen", track: "Spoor", status: "Status", amount: "Bedrag", explanation: "Toelichting", basis: "Grondslag",
    alternatives: "Overwogen alternatieven", chosen: "gekozen", notLawful: "niet toegestaan",
    steps: "Redenering", principles: "Beginselen", decisions: "Beslissingen voor u", options: "Keuzes",
    for: "pleit voor", against: "pleit tegen", missing: "Ontbrekende feiten", change: "Wat het advies verandert",
    followups: "Vervolgacties (leren en voorkomen)", cause: "Oorzaak", packs: "Beleid", receipt: "Ontvangstbewijs",
    calc: "Berekening", noneListed: "Geen.", notOnForm: "Een gegeven dat (nog) niet in het formulier staat", national: "landelijk beleid", validFrom: "geldt vanaf", note: "Dit is een advies. U beslist.",
    cat_dringende_redenen: "dringende redenen", cat_draagkracht: "draagkracht", cat_rol_gemeente: "rol van de gemeente",
    cat_nieuwe_feiten: "nieuwe feiten", cat_beleid_past_niet: "beleid past niet bij deze zaak",
    cat_fout_in_advies: "fout in het advies", cat_anders: "anders",
  },
  en: {
    skip: "Skip to content", navCase: "Case", navAdvice: "Advice", navDecision: "Decision", navReport: "Learning report",
    nav: "Sections", switchTo: "Nederlands", switchLang: "nl",
    title: "Advice on a violation or shortcoming",
    lead: "maatwerk gives advice with its reasons. You decide.",
    caseH: "1. Case", errorsH: "Check these fields",
    uploadH: "Upload or paste a case (JSON)",
    uploadHelp: "Choose a file or paste the case. Fields that are not in the form are kept.",
    uploadFile: "File with the case", uploadText: "Case as JSON", uploadLoad: "Put it in the form",
    adviseBtn: "Get advice", adviceH: "2. Advice", adviceEmpty: "Enter the case first and ask for advice.",
    whatifH: "3. What if?", whatifHelp: "Change one fact and see what happens to the advice. The case itself stays the same.",
    whatifField: "Fact", whatifValue: "New value", whatifBtn: "Try this change",
    whatifNow: "Now", whatifThen: "With the change", whatifWhat: "Item", whatifChanged: "changed",
    whatifSame: "The change does not alter the measure, the amount or the tracks.",
    decisionH: "4. Record the decision", dMeasure: "Measure decided", dAmount: "Amount of the fine (€)",
    dAmountHint: "Only for a fine, for example 1,240.00 or 1.240,00",
    dateHint: "As day-month-year, for example 31-01-2025", moneyHint: "For example 1600.00 or 1.600,00",
    countHint: "A whole number, for example 3",
    e_count: "{label}: enter a whole number, for example 3.",
    e_row: "{label}: {reason}",
    addRow: "Add an {item}", removeRow: "Remove {item}", rowsNone: "No {item} entered.",
    rowAdded: "{item} added.", rowRemoved: "{item} removed.",
    formFailed: "The form could not be loaded. Reload the page.",
    errorsLead: "Correct this first:",
    e_required: "Fill in {label}.",
    e_invalid: "{label}: {reason}",
    e_amount: "{label}: enter an amount in euros, for example 1600.00 or 1.600,00.",
    e_positive: "{label}: enter an amount of more than € 0.",
    e_date: "{label}: enter a date that exists, as day-month-year, for example 31-01-2025.",
    e_upload: "{label}: the uploaded case says \u201c{value}\u201d, which is not one of the choices here. Choose one of the choices.",
    e_unknownField: "The uploaded case holds a fact this form does not know: {reason}",
    e_otherField: "A fact in the uploaded case that is not on the form is wrong: {reason}",
    e_period: "{label}: {reason}",
    e_measure: "{label}: {reason}",
    e_notLawful: "{label}: {measure} is not allowed in this case. {why}",
    e_noAmount: "{label}: {reason}",
    e_amountUnexpected: "{label}: {reason}",
    e_aboveBand: "{label}: the amount is above the statutory maximum of {max}.",
    e_zero: "{label}: a fine is more than € 0. To impose none, choose another measure.",
    e_reason: "{label}: {reason}",
    e_exploration: "{reason}",
    e_conflict: "{reason}",
    e_generic: "{reason}",
    dCaseworkerHint: "The decision is recorded in the name of who is logged in, only as a keyed pseudonym.",
    dCategory: "Kind of reason", dReason: "Motivation in your words", required: "(required)",
    dReasonHint: "This text goes into the letter to the resident. Keep it short and clear.",
    recordBtn: "Record the decision", letterH: "Decision letter", printBtn: "Print the letter",
    letterHint: "This is how the resident or the provider receives the decision. The letter is in Dutch, the language of the decision.",
    pdfBtn: "Download the letter (PDF)", pdfBusy: "Making the PDF…", pdfReady: "The PDF was downloaded.", pdfFailed: "The PDF could not be made: ",
    saved: "Decision recorded as number {n}. Check value: {h}.",
    reportH: "Learning report",
    reportPeriod: "Per", month: "month", quarter: "quarter", year: "year", reportBtn: "Show report",
    foot: "maatwerk gives advice; a caseworker decides. No data is sent to other websites.",
    busy: "Computing the advice…", ready: "Advice ready.", invalid: "The case has errors. See the list at the top.",
    whatifReady: "What-if advice ready.", recordBusy: "Recording the decision…", recorded: "Decision recorded.",
    stale: "The case changed after the advice. Ask for advice again first; then record the decision on that advice.",
    loaded: "Case put in the form.", jsonBad: "This is not valid JSON: ", failed: "Something went wrong: ",
    domainSwitched: "The form now fits the kind of case.",
    choose: "Choose…", unknown: "unknown", yes: "yes", no: "no", notYet: "not yet established",
    measure: "Recommended measure", band: "Legal band", from: "from", to: "to",
    tracks: "Tracks", track: "Track", status: "Status", amount: "Amount", explanation: "Explanation", basis: "Legal basis",
    alternatives: "Alternatives considered", chosen: "chosen", notLawful: "not allowed",
    steps: "Reasoning", principles: "Principles", decisions: "Decisions for you", options: "Options",
    for: "for", against: "against", missing: "Missing facts", change: "What would change the advice",
    followups: "Follow-up (learn and prevent)", cause: "Cause", packs: "Policy", receipt: "Receipt",
    calc: "Computation", noneListed: "None.", notOnForm: "A fact that is not (yet) on the form", national: "national policy", validFrom: "applies from", note: "This is advice. You decide.",
    cat_dringende_redenen: "urgent reasons", cat_draagkracht: "ability to pay", cat_rol_gemeente: "the municipality's role",
    cat_nieuwe_feiten: "new facts", cat_beleid_past_niet: "the policy does not fit this case",
    cat_fout_in_advies: "an error in the advice", cat_anders: "other",
  },
};

const L = (nl, en) => ({ nl, en });
// Choices whose identifier is not a word a caseworker uses.
const OPTION_NAMES = {
  benefits: L("Uitkering", "Benefits"),
  providers: L("Zorgaanbieder", "Care provider"),
  participatiewet: L("Participatiewet", "Participatiewet"), ioaw: L("IOAW", "IOAW"), ioaz: L("IOAZ", "IOAZ"), bbz: L("Bbz", "Bbz"),
  wmo2015: L("Wmo 2015", "Wmo 2015"), jeugdwet: L("Jeugdwet", "Jeugdwet"),
};
// The decision form's fields, for the errors the API locates by name.
const DECISION_FIELDS = { measure: "dMeasure", amount: "dAmount", reason_category: "dCategory", reason: "dReason" };
const REASONS = ["dringende_redenen", "draagkracht", "rol_gemeente", "nieuwe_feiten", "beleid_past_niet", "fout_in_advies", "anders"];
const DOMAINS = ["benefits", "providers"];
const MEASURES = {
  benefits: ["boete", "waarschuwing", "geen_boete", "aangifte", "voorwaardelijke_boete"],
  providers: ["geen_maatregel", "gesprek", "verbeterplan", "verscherpt_toezicht", "aanwijzing", "intake_stop",
    "last_onder_dwangsom", "betalingsopschorting", "contractuele_boete", "ontbinding"],
};
// Measures that carry an amount a caseworker may decide.
const AMOUNTS = ["boete", "voorwaardelijke_boete", "last_onder_dwangsom", "contractuele_boete"];

// The form: each field is a path into the case. Empty or "unknown" leaves the field out (unknown, never "no").
// The fields come from the service (GET case-fields): one for every fact the rules of the municipality's
// packs read, with labels, questions and choices in Dutch and English; the page has no field of its own
// but the kind of case, the first field of every form.
const DOMAIN_FIELD = { path: "domain", type: "select", options: DOMAINS, noEmpty: true, label: L("Soort zaak", "Kind of case"), required: true };
const FORMS = {};       // domain -> the service's catalogue
const formLoads = {};   // domain -> the promise of it
function loadForm(kind) {
  formLoads[kind] ??= fetch(`${API}/case-fields?domain=${encodeURIComponent(kind)}`)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((d) => { FORMS[kind] = d; return d; })
    .catch((err) => { delete formLoads[kind]; say(t("formFailed")); throw err; });
  return formLoads[kind];
}
// A field of the catalogue in the form's terms.
function asField(f) {
  return {
    path: f.path, type: f.kind, required: f.required, label: f.label, question: f.question, help: f.help,
    options: f.choices.map((c) => c.value), names: Object.fromEntries(f.choices.map((c) => [c.value, c.label])),
    min: f.min, max: f.max, name: f.path.includes("[].") ? f.path.split("[].")[1] : null,
  };
}
let domain = "benefits";
const groups = () => (FORMS[domain]?.groups ?? []).map((g, i) => ({
  id: g.id, legend: g.label, item: g.item ?? null,
  fields: [...(i === 0 ? [DOMAIN_FIELD] : []), ...g.fields.map(asField)],
}));
const listGroup = () => groups().find((g) => g.item);
const fields = () => groups().filter((g) => !g.item).flatMap((g) => g.fields);
const LIST = "history";
let rows = [];          // the history's entries on the form: { base: the uploaded entry, values: name -> raw, bad: name -> value }
let listKept = false;   // an uploaded history that is not a list of entries: sent as it is, for the API to say what is wrong
const rowId = (i, name) => `f-${LIST}.${i}.${name}`;
const rowName = (group, i) => `${tx(group.item)} ${i + 1}`;

let lang = "nl";
let base = {};          // the uploaded case: fields outside the form are kept
let lastCase = null;    // the case of the advice on screen
let lastAdvice = null;

const $ = (id) => document.getElementById(id);
const t = (key) => UI[lang][key] ?? key;
const tx = (text) => (text && typeof text === "object" ? text[lang] ?? text.nl : text);
const fieldId = (path) => `f-${path}`;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "className") node.className = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function euro(amount) {
  if (amount === null || amount === undefined || amount === "") return "";
  return new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" }).format(Number(amount));
}

function label(value) {
  return OPTION_NAMES[value] ? tx(OPTION_NAMES[value]) : String(value).replaceAll("_", " ");
}

// The measures' names in words, from the packs (GET /packs: verdict.measures labels); the page never
// shows a measure's identifier when the packs name it.
let MEASURE_NAMES = {};
let PACKS = [];
const namesLoaded = fetch(`${API}/packs`).then((r) => (r.ok ? r.json() : {}))
  .then((d) => { MEASURE_NAMES = d.measures ?? {}; PACKS = d.packs ?? []; }).catch(() => {});

// A pack in words: national or the municipality's, and from when it applies.
function packName(ref) {
  const pack = PACKS.find((p) => p.id === ref.id && p.version === ref.version);
  if (!pack) return `${ref.id} ${ref.version}`;
  const who = pack.layer === "national" ? t("national") : (pack.municipality ?? "").replace(/^./, (c) => c.toUpperCase());
  return `${who} (${t("validFrom")} ${shownDate(pack.valid_from)})`;
}

// A purpose of the law or a principle of the policy by its name, from the packs of the advice.
function principleName(id, advice) {
  const own = PACKS.filter((p) => advice.packs.some((a) => a.id === p.id && a.version === p.version));
  for (const pack of [...own, ...PACKS]) if (pack.principles?.[id]) return tx(pack.principles[id]);
  return id;
}

function measureName(id) {
  for (const names of [MEASURE_NAMES[lastAdvice?.domain ?? domain], ...Object.values(MEASURE_NAMES)]) {
    if (names && names[id]) return names[id][lang] ?? names[id].nl;
  }
  return label(id);
}

// An amount as a Dutch caseworker types it ("1.600,00", "€ 1.600", "1600", "1600,5") or as the API writes
// it ("1600.50"), to the API's form ("1600.50"); null when it is not an amount (never guessed: "1.60,0").
function parseAmount(raw) {
  let s = String(raw).replace(/[\s\u00a0]/g, "").replace(/^(€|EUR)/i, "");
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replaceAll(".", "").replace(",", ".");
  else if (/^\d+(,\d{1,2})?$/.test(s)) s = s.replace(",", ".");
  else if (!/^\d+\.\d{1,2}$/.test(s)) return null;
  const [whole, cents = ""] = s.split(".");
  return `${whole.replace(/^0+(?=\d)/, "")}.${cents.padEnd(2, "0")}`;
}

// A date as dd-mm-jjjj (also d-m-jjjj, with / or .) or as the API writes it (jjjj-mm-dd), to the API's
// form; null when no such day exists (31-02-2025) or the text is not a date.
function parseDate(raw) {
  const s = String(raw).trim();
  let m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  let y, mo, d;
  if (m) [d, mo, y] = [m[1], m[2], m[3]].map(Number);
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) [y, mo, d] = [m[1], m[2], m[3]].map(Number);
  else return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

const shownDate = (iso) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split("-").reverse().join("-") : iso);
const shownAmount = (value) => (/^\d+\.\d{1,2}$/.test(value) ? value.replace(".", ",") : value);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
// A sentence that states the law around a decision (why a departure needs a reason): the national
// pack's, served with the form (case-fields: notes), in the page's language; never the page's own.
const lawNote = (name) => tx(FORMS[lastAdvice?.domain ?? domain]?.notes?.[name]) ?? "";

function say(message) {
  $("status").textContent = message;
}

// --- the case form ---------------------------------------------------------------------------------

function control(field, id) {
  if (field.type === "select" || field.type === "tri" || field.type === "bool") {
    const select = el("select", { id, name: field.path });
    if (field.type === "select") {
      if (!field.noEmpty) select.append(el("option", { value: "", text: field.required ? t("choose") : t("unknown") }));
      for (const o of field.options) select.append(el("option", { value: o, text: field.names?.[o] ? tx(field.names[o]) : label(o) }));
    } else {
      select.append(el("option", { value: "", text: field.type === "tri" ? t("unknown") : t("choose") }));
      select.append(el("option", { value: "true", text: t("yes") }), el("option", { value: "false", text: t("no") }));
    }
    return select;
  }
  const attrs = { id, name: field.path, autocomplete: "off", type: "text" };
  if (field.type === "date" || field.type === "count") return el("input", { ...attrs, inputmode: "numeric" });
  if (field.type === "money") return el("input", { ...attrs, inputmode: "decimal" });
  return el("input", attrs);
}

// One field with its label, hints and error message; ``name`` is the label shown (a row's fields say their row).
function fieldBlock(field, id, name) {
  const input = control(field, id);
  const hint = field.type === "date" ? t("dateHint") : field.type === "money" ? t("moneyHint") : field.type === "count" ? t("countHint") : null;
  const described = [field.help ? `${id}-help` : null, hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean);
  input.setAttribute("aria-describedby", described.join(" "));
  if (field.required) input.setAttribute("aria-required", "true");
  return el("div", { className: "field" },
    el("label", { for: id, text: name }),
    field.help ? el("p", { className: "hint", id: `${id}-help`, text: tx(field.help) }) : null,
    hint ? el("p", { className: "hint", id: `${id}-hint`, text: hint }) : null,
    el("p", { className: "error", id: `${id}-error`, hidden: true }),
    input);
}

// The values typed in the history's rows, kept before the form is built again.
function keepRows() {
  const group = listGroup();
  if (!group) return;
  rows.forEach((row, i) => {
    for (const f of group.fields) {
      const node = $(rowId(i, f.name));
      if (node) row.values[f.name] = node.value;
    }
  });
}

function listBlock(group) {
  const list = el("div", { className: "rows", id: `rows-${LIST}` });
  rows.forEach((row, i) => {
    const grid = el("div", { className: "grid" }, group.fields.map((f) => fieldBlock(f, rowId(i, f.name), tx(f.label))));
    list.append(el("fieldset", { className: "row", id: `row-${i}` },
      el("legend", { text: rowName(group, i) }),
      grid,
      el("button", { type: "button", className: "secondary remove-row", "data-row": String(i), text: fill(t("removeRow"), { item: rowName(group, i).toLowerCase() }) })));
  });
  return el("fieldset", { id: `group-${LIST}` }, el("legend", { text: tx(group.legend) }),
    rows.length ? null : el("p", { className: "hint", id: "rows-none", text: fill(t("rowsNone"), { item: tx(group.item).toLowerCase() }) }),
    list,
    el("button", { type: "button", className: "secondary", id: "add-row", text: fill(t("addRow"), { item: tx(group.item).toLowerCase() }) }));
}

function buildForm() {
  const wrap = $("case-fields");
  const values = fields().map((f) => [f.path, $(fieldId(f.path))?.value]);
  keepRows();
  wrap.replaceChildren();
  for (const group of groups()) {
    if (group.item) { wrap.append(listBlock(group)); continue; }
    const grid = el("div", { className: "grid" }, group.fields.map((f) => fieldBlock(f, fieldId(f.path), tx(f.label))));
    wrap.append(el("fieldset", {}, el("legend", { text: tx(group.legend) }), grid));
  }
  for (const [path, value] of values) if (value !== undefined && $(fieldId(path))) $(fieldId(path)).value = value;
  const group = listGroup();
  rows.forEach((row, i) => {
    for (const f of group?.fields ?? []) if (row.values[f.name] !== undefined) $(rowId(i, f.name)).value = row.values[f.name];
  });
  if ($(fieldId("domain"))) {
    $(fieldId("domain")).value = domain;
    $(fieldId("domain")).addEventListener("change", (event) => { pending = switchDomain(event.target.value); });
  }
}

// A row added to the history: focus on its first field. A row removed: focus on the next row, or on the button to add one.
function addRow() {
  keepRows();
  listKept = false;
  rows.push({ base: {}, values: {}, bad: {} });
  buildForm();
  const group = listGroup();
  $(rowId(rows.length - 1, group.fields[0].name)).focus();
  say(fill(t("rowAdded"), { item: rowName(group, rows.length - 1) }));
}

function removeRow(i) {
  keepRows();
  const group = listGroup();
  const gone = rowName(group, i);
  rows.splice(i, 1);
  buildForm();
  const next = rows.length ? document.querySelector(`#row-${Math.min(i, rows.length - 1)} .remove-row`) : $("add-row");
  next.focus();
  say(fill(t("rowRemoved"), { item: gone }));
}

// The form being switched or filled (another kind of case, an uploaded case): an advice asked
// meanwhile waits for it, so it is never made from a half-built form.
let pending = Promise.resolve();

// Another kind of case: another form. Fields both kinds share (law aside) keep their value.
async function switchDomain(next) {
  if (next === domain || !DOMAINS.includes(next)) return;
  await loadForm(next);
  const law = $(fieldId("law"));
  if (law) law.value = "";
  domain = next;
  base = {};
  rows = [];
  listKept = false;
  buildForm();
  say(t("domainSwitched"));
}

function getPath(obj, path) {
  return path.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), obj);
}

function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== "object") {
      if (value === undefined) return; // nothing to remove, and no empty section to make
      o[k] = {};
    }
    o = o[k];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}

// A field's value in the API's form, or the key of the message that says why it cannot be read.
function readField(field, raw) {
  if (raw === "" || raw === undefined) return { value: undefined };
  if (field.type === "tri" || field.type === "bool") return { value: raw === "true" };
  if (field.type === "money") { const v = parseAmount(raw); return v === null ? { problem: "e_amount" } : { value: v }; }
  if (field.type === "date") { const v = parseDate(raw); return v === null ? { problem: "e_date" } : { value: v }; }
  if (field.type === "count") {
    const v = /^\s*\d{1,7}\s*$/.test(raw) ? Number(raw) : null;
    if (v === null || (field.min != null && v < field.min) || (field.max != null && v > field.max)) return { problem: "e_count" };
    return { value: v };
  }
  return { value: raw.trim() };
}

let uploadBad = new Map(); // field path -> an uploaded value that is none of the field's choices

// The case on the form, and every field that cannot be read (shown at the field; nothing is guessed).
function buildCase() {
  const data = structuredClone(base);
  const errors = [];
  const read = (field, id, name, raw, bad, put) => {
    const got = readField(field, raw);
    if (got.problem) errors.push({ id, message: fill(t(got.problem), { label: name, min: field.min ?? "", max: field.max ?? "" }) });
    else if (raw === "" && bad !== undefined) errors.push({ id, message: fill(t("e_upload"), { label: name, value: bad }) });
    if (got.problem || (raw === "" && bad !== undefined)) return; // keep what was uploaded
    put(got.value);
  };
  for (const field of fields()) {
    const id = fieldId(field.path);
    if (!$(id)) continue;
    read(field, id, tx(field.label), $(id).value, uploadBad.get(field.path), (value) => setPath(data, field.path, value));
  }
  const group = listGroup();
  if (group && !listKept) {
    keepRows();
    const entries = rows.map((row, i) => {
      const entry = structuredClone(row.base);
      for (const f of group.fields) {
        read(f, rowId(i, f.name), `${rowName(group, i)}: ${tx(f.label)}`, row.values[f.name] ?? "", row.bad[f.name], (value) => {
          if (value === undefined) delete entry[f.name]; else entry[f.name] = value;
        });
      }
      return entry;
    });
    if (entries.length) data[LIST] = entries; else delete data[LIST];
  }
  return { data, errors };
}

function choicesOf(field) {
  if (field.type === "select") return field.options;
  return ["true", "false"];
}

// A value as the form shows it, or undefined when it is none of the field's choices.
function shownValue(field, value) {
  let shown = value === undefined || value === null ? "" : String(value);
  if (shown !== "" && ["select", "tri", "bool"].includes(field.type) && !choicesOf(field).includes(shown)) return undefined;
  if (field.type === "date") shown = shownDate(shown);
  if (field.type === "money" && lang === "nl") shown = shownAmount(shown);
  return shown;
}

const badText = (value) => (typeof value === "object" ? JSON.stringify(value) : String(value));

async function fillForm(data) {
  const kind = data && data.domain === "providers" ? "providers" : "benefits";
  await loadForm(kind);
  if (kind !== domain) { domain = kind; rows = []; buildForm(); }
  base = structuredClone(data);
  uploadBad = new Map();
  for (const field of fields()) {
    const value = getPath(data, field.path);
    const shown = shownValue(field, value);
    if (shown === undefined) uploadBad.set(field.path, badText(value));  // shown at its field, never dropped
    if ($(fieldId(field.path))) $(fieldId(field.path)).value = shown ?? "";
  }
  const group = listGroup();
  const given = data?.[LIST];
  listKept = given !== undefined && (!Array.isArray(given) || given.some((e) => !e || typeof e !== "object" || Array.isArray(e)));
  const entries = Array.isArray(given) && !listKept ? given : [];
  if (group) {
    rows = entries.map((entry) => {
      const row = { base: entry && typeof entry === "object" ? structuredClone(entry) : {}, values: {}, bad: {} };
      for (const f of group.fields) {
        const shown = shownValue(f, row.base[f.name]);
        if (shown === undefined) row.bad[f.name] = badText(row.base[f.name]);
        row.values[f.name] = shown ?? "";
      }
      return row;
    });
    buildForm();
  }
  clearErrors("case-errors");
  const { errors } = buildCase();
  if (errors.length) showErrors("case-errors", errors);
}

// --- errors ----------------------------------------------------------------------------------------

function clearErrors(summaryId) {
  const box = $(summaryId);
  box.hidden = true;
  box.querySelector("ul").replaceChildren();
  for (const node of document.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute("aria-invalid");
  for (const node of document.querySelectorAll(".error")) { node.hidden = true; node.textContent = ""; }
}

// Where a JSON path the API names is on this page: the form field and its label, from the one table
// of fields (the case form's and the decision form's).
function fieldFor(name) {
  const path = name.startsWith("case.") ? name.slice(5) : name;
  const inList = new RegExp(`^${LIST}\\.(\\d+)(?:\\.(\\w+))?`).exec(path);
  const group = listGroup();
  if (inList && group) {
    const i = Number(inList[1]);
    const field = group.fields.find((f) => f.name === inList[2]) ?? group.fields[0];
    if ($(rowId(i, field.name))) return { id: rowId(i, field.name), label: `${rowName(group, i)}: ${tx(field.label)}`, path: `${LIST}.${i}.${field.name}`, field };
  }
  if (path === LIST && group && $("add-row")) return { id: "add-row", label: tx(group.legend), path: LIST };
  const field = fields().find((f) => f.path === path) ?? fields().find((f) => f.path.startsWith(`${path}.`));
  if (field && $(fieldId(field.path))) return { id: fieldId(field.path), label: tx(field.label), path: field.path, field };
  if (DECISION_FIELDS[name]) return { id: `d-${name}`, label: t(DECISION_FIELDS[name]), path: name };
  return null;
}

// The API's problems (English, located by JSON path) as messages in the page's language, each with its
// field's own label.
const CODE_MESSAGES = {
  CASE_MISSING_FIELD: "e_required", CASE_UNKNOWN_FIELD: "e_unknownField",
  DECISION_MEASURE_UNKNOWN: "e_measure", DECISION_MEASURE_NOT_LAWFUL: "e_notLawful",
  DECISION_AMOUNT_MISSING: "e_noAmount", DECISION_AMOUNT_UNEXPECTED: "e_amountUnexpected",
  DECISION_AMOUNT_OUTSIDE_BAND: "e_aboveBand", DECISION_REASON_MISSING: "e_reason",
  DECISION_ON_EXPLORATION: "e_exploration", ADVICE_CHANGED: "e_conflict", DECISION_IDEMPOTENCY_CONFLICT: "e_conflict",
};

function problemItems(problem) {
  const items = problem.invalidParams?.length ? problem.invalidParams : [{ name: "", code: problem.code, reason: problem.detail }];
  return items.map((p) => {
    const where = p.name ? fieldFor(p.name) : null;
    let key = CODE_MESSAGES[p.code] ?? (where ? "e_invalid" : p.name ? "e_otherField" : "e_generic");
    if (where && p.code === "CASE_INVALID_VALUE") {
      const field = where.field;
      const exact = where.path === p.name.replace(/^case\./, "");
      key = !exact && new RegExp(`^(case\\.)?${LIST}\\.\\d+$`).test(p.name) ? "e_row"
        : field?.type === "money" ? (/more than 0/.test(p.reason) ? "e_positive" : "e_amount") : field?.type === "date" ? "e_date" : field?.type === "count" ? "e_count"
          : field && !exact ? "e_period" : "e_invalid";
      if (key === "e_row") where.label = where.label.split(": ")[0];
    }
    if (p.code === "DECISION_AMOUNT_OUTSIDE_BAND") key = /more than 0/.test(p.reason) ? "e_zero" : "e_aboveBand";
    const measure = $("d-measure")?.value;
    const alternative = lastAdvice?.alternatives.find((a) => a.measure === measure);
    const message = fill(t(key), {
      label: where ? where.label : "", reason: p.reason, note: lawNote("reason_missing"), measure: measure ? measureName(measure) : "",
      why: alternative ? tx(alternative.why) : "", max: euro(lastAdvice?.measure.band.highest_amount),
    });
    return { id: where?.id ?? null, message };
  });
}

function showErrors(summaryId, items) {
  const box = $(summaryId);
  const list = box.querySelector("ul");
  for (const { id, message } of items) {
    const target = id ? $(id) : null;
    if (target) {
      target.setAttribute("aria-invalid", "true");
      const note = $(`${id}-error`);
      if (note && note.hidden) { note.textContent = message; note.hidden = false; }
      list.append(el("li", {}, el("a", { href: `#${id}`, text: message })));
    } else {
      list.append(el("li", { text: message }));
    }
  }
  box.hidden = false;
  box.focus();
}

function showProblems(summaryId, problem) {
  showErrors(summaryId, problemItems(problem));
}

async function call(method, path, body, extra = {}) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: body === undefined ? extra : { "Content-Type": "application/json", ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json();
  return { ok: response.ok, status: response.status, data };
}

// --- the advice ------------------------------------------------------------------------------------

function basisLinks(basis) {
  return basis.map((b, i) => [i ? "; " : "", el("a", { href: b.url, target: "_blank", rel: "noopener noreferrer", text: b.citation })]).flat();
}

function section(title, ...content) {
  return [el("h3", { text: title }), ...content];
}

// A table that reflows on a narrow screen (app.css stacks it into one card per row below 40rem): each
// cell gets its column's header as data-label, shown before the cell when the header row is hidden, and
// the explicit ARIA table roles keep the table's semantics for screen readers when CSS changes its
// display. Returned in a container that never scrolls sideways.
function stackable(table) {
  table.classList.add("stack");
  table.setAttribute("role", "table");
  const headers = [...table.querySelectorAll("thead th")].map((h) => h.textContent);
  for (const group of table.querySelectorAll("thead, tbody")) group.setAttribute("role", "rowgroup");
  for (const row of table.querySelectorAll("tr")) {
    row.setAttribute("role", "row");
    [...row.children].forEach((cell, i) => {
      const scope = cell.getAttribute("scope");
      cell.setAttribute("role", scope === "col" ? "columnheader" : scope === "row" ? "rowheader" : "cell");
      if (cell.closest("tbody") && headers[i]) cell.dataset.label = headers[i];
    });
  }
  return el("div", { className: "table-wrap" }, table);
}

// Where a missing fact is asked on the form: the first of its fields (in a history row: the first row)
// that is still empty, else its first field; with the field's question in plain words. The catalogue
// says which fields make each fact (also a fact a pack declares); a missing amount is named by its path.
function factTarget(f, advice) {
  const form = FORMS[advice.domain ?? domain];
  const known = form?.facts[f.fact];
  const all = [...fields().map((x) => x.path), ...(listGroup()?.fields.map((x) => x.path) ?? [])];
  const paths = known?.fields ?? all.filter((p) => p === f.field || p.startsWith(`${f.field}.`));
  const group = listGroup();
  const found = [];
  for (const path of paths) {
    if (path.startsWith(`${LIST}[].`) && group) {
      const field = group.fields.find((x) => x.path === path);
      rows.forEach((_, i) => {
        const node = $(rowId(i, field.name));
        if (node) found.push({ node, field, question: `${rowName(group, i)}: ${tx(field.question)}` });
      });
    } else {
      const field = fields().find((x) => x.path === path);
      const node = field && $(fieldId(path));
      if (node) found.push({ node, field, question: tx(field.question) });
    }
  }
  const pick = found.find((c) => c.node.value === "") ?? found[0];
  if (!pick) return null;
  return { id: pick.node.id, question: pick.question, about: known?.about ? tx(known.about) : null, help: pick.field.help ? tx(pick.field.help) : null };
}

// An answer of a decision in words: the choice of the field that records it, else a measure's name.
function optionName(d, option, advice) {
  const path = FORMS[advice.domain ?? domain]?.decisions[d.id]?.fields[0];
  const field = path && fields().find((f) => f.path === path);
  return field?.names?.[option] ? tx(field.names[option]) : measureName(option);
}

// Where a decision for a person is answered: the case field that records it (the catalogue knows it), or
// the decision form: the measure when the answer is a measure, otherwise the motivation.
function decisionTarget(d, advice) {
  const kind = advice.domain ?? domain;
  for (const path of FORMS[kind]?.decisions[d.id]?.fields ?? []) if ($(fieldId(path))) return fieldId(path);
  return d.options.some((o) => MEASURES[kind].includes(o)) ? "d-measure" : "d-reason";
}

function renderAdvice(advice) {
  const body = $("advice-body");
  const m = advice.measure;
  const parts = [];
  for (const step of advice.steps) {
    if (step.rule_id === "voorstel_verkenning") parts.push(el("p", { className: "exploration", text: tx(step.text) }));
  }
  const band = `${tx(m.band.lowest)} ${euro(m.band.lowest_amount)} – ${tx(m.band.highest)} ${euro(m.band.highest_amount)}`;
  parts.push(el("div", { id: "measure-box" },
    el("p", { className: "hint", text: t("measure") }),
    el("p", { className: "measure", id: "advice-measure", text: `${measureName(m.kind)}${m.amount ? " " + euro(m.amount) : ""}` }),
    el("p", { text: tx(m.summary) }),
    el("p", { text: `${t("band")}: ${band}` }),
    el("p", { className: "hint", text: t("note") })));

  const tracks = el("table", {},
    el("thead", {}, el("tr", {}, ...[t("track"), t("status"), t("amount"), t("explanation"), t("basis")].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, advice.tracks.map((tr) => el("tr", {},
      el("th", { scope: "row", text: measureName(tr.id) }), el("td", { text: label(tr.status) }), el("td", { text: euro(tr.amount) }),
      el("td", { text: tx(tr.explanation) }), el("td", {}, basisLinks(tr.basis))))));
  parts.push(...section(t("tracks"), stackable(tracks)));

  if (advice.calculation.length) {
    parts.push(...section(t("calc"), stackable(el("table", {},
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("whatifWhat") }), el("th", { scope: "col", text: t("amount") }))),
      el("tbody", {}, advice.calculation.map((c) =>
        el("tr", {}, el("td", { text: tx(c.label) }), el("td", { text: euro(c.amount) }))))))));
  }
  parts.push(...section(t("alternatives"), el("ul", { className: "plain" }, advice.alternatives.map((a) => el("li", {
    text: `${measureName(a.measure)}${a.amount ? " " + euro(a.amount) : ""}${a.chosen ? ` (${t("chosen")})` : a.lawful ? "" : ` (${t("notLawful")})`}: ${tx(a.why)}`,
  })))));
  parts.push(...section(t("steps"), el("ol", { className: "steps" }, advice.steps.map((s) => el("li", {},
    el("span", { text: `${tx(s.text)} ` }),
    el("span", { className: "meta" }, ...basisLinks(s.basis), ` · ${t("principles")}: ${s.principles.map((p) => principleName(p, advice)).join(", ")}`))))));
  parts.push(...section(t("decisions"), advice.decisions.length ? el("ul", { className: "plain", id: "advice-decisions" }, advice.decisions.map((d) => el("li", {},
    el("strong", {}, el("a", { href: `#${decisionTarget(d, advice)}`, text: tx(d.question) })),
    d.options.length ? el("p", { text: `${t("options")}: ${d.options.map((o) => optionName(d, o, advice)).join(", ")}` }) : null,
    d.factors.length ? el("ul", {}, d.factors.map((f) => el("li", { text: `${f.direction === "voor" ? t("for") : t("against")}: ${tx(f.text)}` }))) : null,
    d.consequences ? el("p", { text: tx(d.consequences) }) : null))) : el("p", { text: t("noneListed") })));
  parts.push(...section(t("missing"), advice.missing_facts.length ? el("ul", { className: "plain", id: "advice-missing" }, advice.missing_facts.map((f) => {
    const target = factTarget(f, advice);
    const why = f.rules.length ? (target?.about ?? target?.help) : tx(f.why);
    return el("li", {}, target ? el("a", { href: `#${target.id}`, text: target.question }) : el("span", { text: t("notOnForm") }),
      why ? el("span", { className: "why", text: ` ${why}` }) : null);
  })) : el("p", { text: t("noneListed") })));
  parts.push(...section(t("change"), advice.what_would_change.length ? el("ul", { className: "plain" }, advice.what_would_change.map((c) =>
    el("li", { text: `${tx(c.change)}: ${tx(c.effect)}` }))) : el("p", { text: t("noneListed") })));
  parts.push(...section(t("followups"), el("ul", { className: "plain" }, advice.followups.map((f) => el("li", { text: tx(f.text) })))));
  parts.push(el("p", { className: "meta", text: `${t("cause")}: ${label(advice.cause_category)}` }));
  parts.push(el("p", { className: "meta", text: `${t("packs")}: ${advice.packs.map(packName).join("; ")}` }));
  parts.push(el("p", { className: "meta", id: "advice-receipt", text: `${t("receipt")}: ${advice.receipt}` }));
  body.replaceChildren(...parts);
  body.hidden = false;
  $("advice-empty").hidden = true;
}

async function advise(event) {
  event.preventDefault();
  await pending.catch(() => null);
  await loadForm(domain).catch(() => null);
  clearErrors("case-errors");
  const { data, errors } = buildCase();
  if (errors.length) { say(t("invalid")); showErrors("case-errors", errors); return; }
  say(t("busy"));
  try {
    const [{ ok, data: answer }] = await Promise.all([call("POST", "/advices", data), namesLoaded]);
    if (!ok) { say(t("invalid")); showProblems("case-errors", answer); return; }
    lastCase = data;
    lastAdvice = answer;
    renderAdvice(answer);
    prepareWhatIf();
    prepareDecision();
    say(t("ready"));
    $("advice-h").focus();
  } catch (err) {
    say(t("failed") + err.message);
  }
}

// --- what if ---------------------------------------------------------------------------------------

function prepareWhatIf() {
  $("whatif").hidden = false;
  const select = $("whatif-field");
  const chosen = select.value;
  select.replaceChildren(...fields().filter((f) => f.path !== "case_ref" && f.path !== "domain").map((f) => el("option", { value: f.path, text: tx(f.label) })));
  if (chosen) select.value = chosen;
  whatIfControl();
}

function whatIfControl() {
  const field = fields().find((f) => f.path === $("whatif-field").value) ?? fields()[1];
  const input = control(field, "whatif-value");
  const current = $(fieldId(field.path)).value;
  if (current !== undefined) input.value = current;
  $("whatif-value-wrap").replaceChildren(el("div", { className: "field" }, el("label", { for: "whatif-value", text: t("whatifValue") }), input));
}

function summaryRows(advice) {
  const rows = [
    [t("measure"), measureName(advice.measure.kind)],
    [t("amount"), euro(advice.measure.amount) || "–"],
    [t("cause"), label(advice.cause_category)],
  ];
  for (const tr of advice.tracks) rows.push([`${t("track")}: ${measureName(tr.id)}`, `${label(tr.status)}${tr.amount ? " " + euro(tr.amount) : ""}`]);
  return rows;
}

async function whatIf(event) {
  event.preventDefault();
  if (!lastAdvice) return;
  const field = fields().find((f) => f.path === $("whatif-field").value);
  const changed = structuredClone(lastCase);
  const read = readField(field, $("whatif-value").value);
  const result = $("whatif-result");
  const refuse = (messages) => {
    result.replaceChildren(el("div", { className: "error-summary", role: "alert" }, el("p", { text: t("errorsLead") }),
      el("ul", {}, messages.map((m) => el("li", { text: m })))));
    say(t("invalid"));
  };
  if (read.problem) { refuse([fill(t(read.problem), { label: t("whatifValue") })]); return; }
  setPath(changed, field.path, read.value);
  say(t("busy"));
  const { ok, data } = await call("POST", "/advices", changed);
  if (!ok) { refuse(problemItems(data).map((i) => i.message)); return; }
  const before = summaryRows(lastAdvice);
  const after = new Map(summaryRows(data));
  let differences = 0;
  const rows = before.map(([name, now]) => {
    const then = after.get(name) ?? "–";
    const isChanged = then !== now;
    differences += isChanged ? 1 : 0;
    return el("tr", { className: isChanged ? "changed" : null },
      el("th", { scope: "row", text: name }), el("td", { text: now }),
      el("td", { text: isChanged ? `${then} (${t("whatifChanged")})` : then }));
  });
  result.replaceChildren(
    stackable(el("table", { id: "whatif-table" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("whatifWhat") }), el("th", { scope: "col", text: t("whatifNow") }), el("th", { scope: "col", text: t("whatifThen") }))),
      el("tbody", {}, rows))),
    differences ? null : el("p", { text: t("whatifSame") }),
  );
  say(t("whatifReady"));
}

// --- the decision ----------------------------------------------------------------------------------

function prepareDecision() {
  $("decision").hidden = false;
  $("decision-result").hidden = true;
  clearErrors("decision-errors");
  const measure = $("d-measure");
  const offered = MEASURES[lastAdvice.domain ?? "benefits"].filter((m) => m !== "voorwaardelijke_boete" || lastAdvice.alternatives.some((a) => a.lawful && a.measure.startsWith("voorwaardelijke")) || lastAdvice.measure.kind === m);
  measure.replaceChildren(el("option", { value: "", text: t("choose") }), ...offered.map((m) => {
    const refused = lastAdvice.alternatives.some((a) => a.measure === m && !a.lawful);
    return el("option", { value: m, text: refused ? `${measureName(m)} (${t("notLawful")})` : measureName(m) });
  }));
  measure.value = offered.includes(lastAdvice.measure.kind) ? lastAdvice.measure.kind : "";
  $("d-amount").value = lastAdvice.measure.amount === null ? "" : lang === "nl" ? shownAmount(lastAdvice.measure.amount) : lastAdvice.measure.amount;
  decisionKey = null;
  const category = $("d-reason_category");
  const chosen = category.value;
  category.replaceChildren(el("option", { value: "", text: t("choose") }), ...REASONS.map((r) => el("option", { value: r, text: t(`cat_${r}`) })));
  category.value = chosen;
  updateDeviation();
}

function decisionDeviates() {
  if (!lastAdvice) return false;
  if (lastAdvice.measure.kind === "beslissing_nodig") return true;
  const amount = parseAmount($("d-amount").value) ?? $("d-amount").value.trim();
  const advised = lastAdvice.measure.amount;
  const sameAmount = advised === null ? amount === "" : amount !== "" && Number(amount) === Number(advised);
  return $("d-measure").value !== lastAdvice.measure.kind || !sameAmount;
}

function updateDeviation() {
  const deviates = decisionDeviates();
  const note = $("deviation-note");
  note.hidden = !deviates;
  note.textContent = lawNote(lastAdvice?.measure.kind === "beslissing_nodig" ? "decide" : "deviation");
  for (const node of document.querySelectorAll("#decision-form .req")) node.hidden = !deviates;
  for (const id of ["d-reason_category", "d-reason"]) {
    if (deviates) $(id).setAttribute("aria-required", "true");
    else $(id).removeAttribute("aria-required");
  }
}

// What the page refuses before sending: a measure the advice finds unlawful, an amount that is not an
// amount or lies outside the legal band. The API refuses the same (and says why); this only says it sooner.
function decisionErrors(measure, rawAmount, amount) {
  const errors = [];
  const lab = (key) => ({ label: t(key) });
  if (!measure) errors.push({ id: "d-measure", message: fill(t("e_measure"), lab("dMeasure")) });
  const refused = lastAdvice.alternatives.find((a) => a.measure === measure && !a.lawful);
  if (refused) errors.push({ id: "d-measure", message: fill(t("e_notLawful"), { ...lab("dMeasure"), measure: measureName(measure), why: tx(refused.why) }) });
  if (!AMOUNTS.includes(measure)) return errors;
  const highest = lastAdvice.measure.band.highest_amount;
  if (rawAmount === "") errors.push({ id: "d-amount", message: fill(t("e_noAmount"), lab("dAmount")) });
  else if (amount === null) errors.push({ id: "d-amount", message: fill(t("e_amount"), lab("dAmount")) });
  else if (Number(amount) <= 0) errors.push({ id: "d-amount", message: fill(t("e_zero"), lab("dAmount")) });
  else if (highest !== null && Number(amount) > Number(highest)) {
    errors.push({ id: "d-amount", message: fill(t("e_aboveBand"), { ...lab("dAmount"), max: euro(highest) }) });
  }
  return errors;
}

let decisionKey = null; // one key per decision attempt: a retry of the same decision is recorded once
let sending = false;

function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `page-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

async function record(event) {
  event.preventDefault();
  if (sending) return;
  clearErrors("decision-errors");
  if (JSON.stringify(buildCase().data) !== JSON.stringify(lastCase)) {
    // Never record a decision on an advice for other facts than those on screen.
    showErrors("decision-errors", [{ id: null, message: t("stale") }]);
    return;
  }
  const measure = $("d-measure").value;
  const rawAmount = $("d-amount").value.trim();
  const amount = parseAmount(rawAmount);
  const refused = decisionErrors(measure, rawAmount, amount);
  if (refused.length) { say(t("invalid")); showErrors("decision-errors", refused); return; }
  const decision = {
    measure,
    amount: AMOUNTS.includes(measure) ? amount : null,
    reason_category: $("d-reason_category").value || null,
    reason: $("d-reason").value.trim() || null,
  };
  decisionKey ??= newKey();
  const button = $("record");
  sending = true;
  button.disabled = true;
  say(t("recordBusy"));
  let answer;
  try {
    answer = await call("POST", "/decisions", { case: lastCase, receipt: lastAdvice.receipt, decision }, { "Idempotency-Key": decisionKey });
  } catch (err) {
    say(t("failed") + err.message);
    return;
  } finally {
    sending = false;
    button.disabled = false;
  }
  const { ok, data } = answer;
  if (!ok) { say(t("invalid")); showProblems("decision-errors", data); return; }
  $("decision-saved").textContent = t("saved").replace("{n}", data.number).replace("{h}", data.hash.slice(0, 16));
  showLetter(data.letter, data.number);
  $("decision-result").hidden = false;
  say(t("recorded"));
  $("decision-saved").setAttribute("tabindex", "-1");
  $("decision-saved").focus();
}

// The letter comes from the service as HTML its sandboxed template wrote (every value escaped); the
// page's Content-Security-Policy runs no script in it. Its headings sit under the page's "Besluitbrief".
let letterNumber = null;

function showLetter(html, number) {
  const letter = $("letter");
  letter.innerHTML = html || "";
  for (const heading of letter.querySelectorAll("h1, h2")) {
    const level = heading.tagName === "H1" ? "h4" : "h5";
    const moved = el(level, {});
    moved.append(...heading.childNodes);
    for (const { name, value } of heading.attributes) moved.setAttribute(name, value);
    heading.replaceWith(moved);
  }
  letterNumber = number;
  $("letter-status").textContent = "";
}

function printLetter() {
  const area = $("print-area");
  area.replaceChildren(...[...$("letter").childNodes].map((node) => node.cloneNode(true)));
  document.body.classList.add("print-letter");
  window.print();
  document.body.classList.remove("print-letter");
  area.replaceChildren();
}

async function downloadLetter() {
  if (letterNumber === null) return;
  const status = $("letter-status");
  status.textContent = t("pdfBusy");
  try {
    const response = await fetch(`${API}/decisions/${letterNumber}/letter`, { headers: { Accept: "application/pdf" } });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      status.textContent = t("pdfFailed") + (problem.detail || response.status);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `besluit-${letterNumber}.pdf` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    status.textContent = t("pdfReady");
  } catch (err) {
    status.textContent = t("pdfFailed") + err.message;
  }
}

// --- the learning report ---------------------------------------------------------------------------
// For a team lead: a chosen period, the trend (a chart the server draws as SVG, with the same figures in
// a table), the totals, the decisions to look at again (flags), each departure and how far, and the
// causes with the municipality's role and follow-ups. Every id is shown by its name from the packs
// (the report's `names`); the CSV export is a link to the API, in the page's language.

const REPORT_UI = {
  nl: {
    reportHelp: "Wat leren we van de besluiten? Kies een periode. U ziet hoe vaak en waarom is afgeweken van het advies, welke besluiten u moet nakijken, en de oorzaken. Zonder persoonsgegevens.",
    reportFrom: "Van", reportTo: "Tot en met", reportPeriod: "Verloop per",
    reportDayHint: "Als dag-maand-jaar, bijvoorbeeld 01-01-2026. Leeg: vanaf het eerste besluit.",
    reportToHint: "Als dag-maand-jaar, bijvoorbeeld 31-12-2026. Leeg: tot en met het laatste besluit.",
    r_badDay: "{label}: vul een datum in die bestaat, als dag-maand-jaar, bijvoorbeeld 01-01-2026.",
    r_order: "{label}: deze datum ligt voor de datum bij Van. Kies een latere datum.",
    r_failed: "Het rapport kon niet worden gemaakt. Probeer het opnieuw. Blijft dit gebeuren? Neem dan contact op met de beheerder.",
    r_none: "Er zijn geen besluiten vastgelegd in deze periode.",
    r_overview: "Overzicht", r_span: "Besluiten van {from} tot en met {to}: {n}.",
    r_spanAll: "Alle vastgelegde besluiten: {n}.", r_first: "het eerste besluit", r_last: "het laatste besluit",
    r_departed: "Afgeweken van het advies: {d} van de {n} ({pct}%). Lichter dan het advies: {l}. Zwaarder: {h}. Zelfde maatregel met een ander bedrag: {s}.",
    r_lower: "Boetes lager dan geadviseerd: {c} keer, samen {total} lager.",
    r_higher: "Boetes hoger dan geadviseerd: {c} keer, samen {total} hoger.",
    r_sums: "Geadviseerde boetes samen: {advised}. Besloten boetes samen: {decided}.",
    r_role: "De rol van de gemeente speelde mee: {r} keer.",
    r_flaggedCount: "Besluiten om na te kijken: {f}.",
    r_csv: "Download de besluiten van deze periode als CSV (voor Excel)",
    r_trendH: { month: "Verloop per maand", quarter: "Verloop per kwartaal", year: "Verloop per jaar" },
    r_tableCaption: "De cijfers van de grafiek",
    r_period: "Periode", r_decisions: "Besluiten", r_departures: "Afgeweken", r_lighter: "Lichter", r_heavier: "Zwaarder",
    r_lowerCol: "Boetes lager dan geadviseerd", r_flagsCol: "Om na te kijken",
    r_flagsH: "Besluiten om na te kijken",
    r_flagsHelp: "Deze besluiten horen niet zo te staan: een maatregel die het advies niet toegestaan vond, een bedrag boven het wettelijk maximum, of dezelfde feiten anders besloten. Open het besluit met het nummer en herstel het waar nodig.",
    r_flagsNone: "Geen besluiten om na te kijken.",
    r_number: "Besluit nummer", r_day: "Datum", r_advised: "Advies", r_decided: "Besluit", r_signal: "Waarom nakijken",
    r_departuresH: "Afwijkingen van het advies",
    r_departuresNone: "Geen afwijkingen van het advies in deze periode.",
    r_reason: "Reden", r_howFar: "Hoe ver", r_euros: "Verschil in euro",
    r_stepsLighter: "lichter: {n} stap in de volgorde van maatregelen", r_stepsLighterN: "lichter: {n} stappen in de volgorde van maatregelen",
    r_stepsHeavier: "zwaarder: {n} stap in de volgorde van maatregelen", r_stepsHeavierN: "zwaarder: {n} stappen in de volgorde van maatregelen",
    r_sameMeasure: "zelfde maatregel, ander bedrag", r_unknownSteps: "niet te vergelijken",
    r_causesH: "Oorzaken, rol van de gemeente en vervolgacties",
    r_cause: "Oorzaak", r_roleCol: "Rol van de gemeente speelde mee", r_followups: "Vervolgacties uit het advies",
    r_noAmount: "geen bedrag", r_unknown: "onbekend",
    months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    quarterWord: "kwartaal",
  },
  en: {
    reportHelp: "What do we learn from the decisions? Choose a period. You see how often and why caseworkers departed from the advice, which decisions to look at again, and the causes. No personal data.",
    reportFrom: "From", reportTo: "To (inclusive)", reportPeriod: "Trend per",
    reportDayHint: "As day-month-year, for example 01-01-2026. Empty: from the first decision.",
    reportToHint: "As day-month-year, for example 31-12-2026. Empty: up to the last decision.",
    r_badDay: "{label}: enter a date that exists, as day-month-year, for example 01-01-2026.",
    r_order: "{label}: this date lies before the From date. Choose a later date.",
    r_failed: "The report could not be made. Try again. If this keeps happening, contact the administrator.",
    r_none: "No decisions were recorded in this period.",
    r_overview: "Overview", r_span: "Decisions from {from} to {to}: {n}.",
    r_spanAll: "All recorded decisions: {n}.", r_first: "the first decision", r_last: "the last decision",
    r_departed: "Departed from the advice: {d} of {n} ({pct}%). Lighter than advised: {l}. Heavier: {h}. The same measure with another amount: {s}.",
    r_lower: "Fines lower than advised: {c}, {total} lower in all.",
    r_higher: "Fines higher than advised: {c}, {total} higher in all.",
    r_sums: "Fines advised in all: {advised}. Fines decided in all: {decided}.",
    r_role: "Decisions in which the municipality's own role played a part: {r}.",
    r_flaggedCount: "Decisions to look at again: {f}.",
    r_csv: "Download the decisions of this period as CSV (for a spreadsheet)",
    r_trendH: { month: "Trend per month", quarter: "Trend per quarter", year: "Trend per year" },
    r_tableCaption: "The figures of the chart",
    r_period: "Period", r_decisions: "Decisions", r_departures: "Departed", r_lighter: "Lighter", r_heavier: "Heavier",
    r_lowerCol: "Fines lower than advised", r_flagsCol: "To look at again",
    r_flagsH: "Decisions to look at again",
    r_flagsHelp: "These decisions should not stand as they are: a measure the advice found not lawful, an amount above the statutory maximum, or the same facts decided differently. Open the decision by its number and correct it where needed.",
    r_flagsNone: "No decisions to look at again.",
    r_number: "Decision number", r_day: "Date", r_advised: "Advice", r_decided: "Decision", r_signal: "Why look again",
    r_departuresH: "Departures from the advice",
    r_departuresNone: "No departures from the advice in this period.",
    r_reason: "Reason", r_howFar: "How far", r_euros: "Difference in euros",
    r_stepsLighter: "lighter: {n} step in the order of measures", r_stepsLighterN: "lighter: {n} steps in the order of measures",
    r_stepsHeavier: "heavier: {n} step in the order of measures", r_stepsHeavierN: "heavier: {n} steps in the order of measures",
    r_sameMeasure: "same measure, another amount", r_unknownSteps: "cannot be compared",
    r_causesH: "Causes, the municipality's role and follow-ups",
    r_cause: "Cause", r_roleCol: "The municipality's role played a part", r_followups: "Follow-ups from the advice",
    r_noAmount: "no amount", r_unknown: "unknown",
    months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    quarterWord: "quarter",
  },
};
for (const l of Object.keys(REPORT_UI)) Object.assign(UI[l], REPORT_UI[l]);

let lastReport = null;  // { query, data } of the report on screen, redrawn when the language changes

// An id of the report in words, from the packs' names the report carries.
function reportName(names, kind, id) {
  if (id === null || id === undefined) return "";
  if (id === "onbekend") return t("r_unknown");
  if (kind === "measures") {
    if (id === "beslissing_nodig" && names.decision_needed) return tx(names.decision_needed);
    for (const named of Object.values(names.measures ?? {})) if (named[id]) return tx(named[id]);
    return measureName(id);
  }
  const found = names[kind]?.[id];
  return found ? tx(found) : label(id);
}

function periodName(labelText) {
  let m = /^(\d{4})-Q(\d)$/.exec(labelText);
  if (m) return lang === "nl" ? `${m[2]}e ${t("quarterWord")} ${m[1]}` : `${t("quarterWord")} ${m[2]} ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(labelText);
  if (m) return `${t("months")[Number(m[2]) - 1]} ${m[1]}`;
  return labelText;
}

function measureWithAmount(names, id, amount) {
  return `${reportName(names, "measures", id)}${amount ? " " + euro(amount) : ""}`;
}

function howFar(row) {
  if (row.direction === "same_measure") return t("r_sameMeasure");
  if (row.steps === null || row.steps === undefined) return t("r_unknownSteps");
  const n = Math.abs(row.steps);
  const key = row.steps < 0 ? (n === 1 ? "r_stepsLighter" : "r_stepsLighterN") : (n === 1 ? "r_stepsHeavier" : "r_stepsHeavierN");
  return fill(t(key), { n });
}

function signedEuro(value) {
  if (value === null || value === undefined) return "";
  return Number(value) > 0 ? `+ ${euro(value)}` : Number(value) < 0 ? `− ${euro(String(-Number(value)))}` : euro(value);
}

// A report table: the first cell of a row is its header; a column of numbers keeps its words whole.
function reportTable(id, headers, rows, caption) {
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number"));
  const cls = (i) => (numeric[i] ? "num" : null);
  const table = el("table", { id },
    caption ? el("caption", { text: caption }) : null,
    el("thead", {}, el("tr", {}, ...headers.map((h, i) => el("th", { scope: "col", className: cls(i), text: h })))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, ...cells.map((c, i) => (i === 0
      ? el("th", { scope: "row", className: cls(i), text: String(c) })
      : el("td", { className: cls(i), text: String(c) })))))));
  return stackable(table);
}

function clearReportErrors() {
  const box = $("report-errors");
  box.hidden = true;
  box.querySelector("ul").replaceChildren();
  for (const id of ["report-from", "report-to"]) {
    $(id).removeAttribute("aria-invalid");
    $(`${id}-error`).hidden = true;
    $(`${id}-error`).textContent = "";
  }
}

// The chosen period as the API's query, or the errors at its fields (dates as a Dutch caseworker types them).
function reportQuery() {
  const query = new URLSearchParams({ period: $("report-period").value });
  const errors = [];
  const days = {};
  for (const [key, id, labelKey] of [["from", "report-from", "reportFrom"], ["to", "report-to", "reportTo"]]) {
    const raw = $(id).value.trim();
    if (!raw) continue;
    const day = parseDate(raw);
    if (day === null) errors.push({ id, message: fill(t("r_badDay"), { label: t(labelKey) }) });
    else { days[key] = day; query.set(key, day); }
  }
  if (days.from && days.to && days.from > days.to) errors.push({ id: "report-to", message: fill(t("r_order"), { label: t("reportTo") }) });
  return { query, days, errors };
}

async function report(event) {
  event?.preventDefault();
  clearReportErrors();
  const { query, days, errors } = reportQuery();
  if (errors.length) { showErrors("report-errors", errors); return; }
  const body = $("report-body");
  let answer;
  try {
    answer = await call("GET", `/learning-report?${query}`);
  } catch {
    body.replaceChildren(el("p", { className: "error", text: t("r_failed") }));
    return;
  }
  if (!answer.ok) { body.replaceChildren(el("p", { className: "error", text: t("r_failed") })); return; }
  lastReport = { query: query.toString(), days, data: answer.data };
  await renderReport();
}

// The server's SVG chart, inline (so its title and description reach a screen reader). It is parsed as
// SVG, never as HTML, and holds no script: the server escapes every text in it.
async function reportChart(query) {
  try {
    const response = await fetch(`${API}/learning-report/chart?${query}&lang=${lang}`);
    if (!response.ok) return null;
    const doc = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
    const svg = doc.documentElement;
    if (svg.nodeName !== "svg" || doc.querySelector("parsererror, script, foreignObject")) return null;
    return document.importNode(svg, true);
  } catch {
    return null;
  }
}

async function renderReport() {
  if (!lastReport) return;
  const { query, days, data } = lastReport;
  const names = data.names ?? {};
  const body = $("report-body");
  const totals = data.totals;
  const dev = totals.deviations;
  const money = totals.amounts;
  const csv = el("a", { id: "report-csv", href: `${API}/learning-report/export?${query}&lang=${lang}`, download: "", text: t("r_csv") });
  const span = days.from || days.to
    ? fill(t("r_span"), { from: days.from ? shownDate(days.from) : t("r_first"), to: days.to ? shownDate(days.to) : t("r_last"), n: totals.decisions })
    : fill(t("r_spanAll"), { n: totals.decisions });
  const parts = [el("h3", { text: t("r_overview") })];
  if (!totals.decisions) {
    parts.push(el("p", { text: span }), el("p", { text: t("r_none") }));
    body.replaceChildren(...parts);
    return;
  }
  parts.push(el("ul", { className: "plain", id: "report-summary" },
    el("li", { text: span }),
    el("li", { text: fill(t("r_departed"), { d: dev.count, n: totals.decisions, pct: Math.round(dev.share * 100), l: dev.lighter, h: dev.heavier, s: dev.same_measure }) }),
    el("li", { text: fill(t("r_lower"), { c: money.lower.count, total: euro(money.lower.total) }) }),
    el("li", { text: fill(t("r_higher"), { c: money.higher.count, total: euro(money.higher.total) }) }),
    el("li", { text: fill(t("r_sums"), { advised: euro(money.advised_total), decided: euro(money.decided_total) }) }),
    el("li", { text: fill(t("r_role"), { r: totals.municipality_role.count }) }),
    el("li", { text: fill(t("r_flaggedCount"), { f: totals.flagged }) })),
  el("p", {}, csv));

  // The trend: the chart, and the same figures in a table.
  parts.push(el("h3", { text: t("r_trendH")[data.period] }));
  const chart = await reportChart(query);
  if (chart) parts.push(el("figure", { className: "chart" }, chart));
  parts.push(reportTable("report-trend", [t("r_period"), t("r_decisions"), t("r_departures"), t("r_lighter"), t("r_heavier"), t("r_lowerCol"), t("r_flagsCol")],
    data.trend.map((p) => [periodName(p.period), p.decisions, p.departures, p.lighter, p.heavier, euro(p.lower_total), p.flagged]), t("r_tableCaption")));

  // What to look at again.
  parts.push(el("h3", { text: t("r_flagsH") }), el("p", { text: t("r_flagsHelp") }));
  parts.push(data.flagged.length
    ? reportTable("report-flags", [t("r_number"), t("r_day"), t("r_advised"), t("r_decided"), t("r_signal")],
      data.flagged.map((r) => [r.record, shownDate(r.day), measureWithAmount(names, r.advised, r.advised_amount), measureWithAmount(names, r.decided, r.decided_amount),
        r.flags.map((f) => reportName(names, "flags", f)).join("; ")]))
    : el("p", { text: t("r_flagsNone") }));

  // Each departure: its reason and how far.
  parts.push(el("h3", { text: t("r_departuresH") }));
  parts.push(data.departures.length
    ? reportTable("report-departures", [t("r_number"), t("r_day"), t("r_advised"), t("r_decided"), t("r_reason"), t("r_howFar"), t("r_euros")],
      data.departures.map((r) => [r.record, shownDate(r.day), measureWithAmount(names, r.advised, r.advised_amount), measureWithAmount(names, r.decided, r.decided_amount),
        reportName(names, "reasons", r.reason_category), howFar(r), signedEuro(r.euro_difference)]))
    : el("p", { text: t("r_departuresNone") }));

  // Causes, the municipality's role and the follow-ups they led to.
  parts.push(el("h3", { text: t("r_causesH") }));
  parts.push(reportTable("report-causes", [t("r_cause"), t("r_decisions"), t("r_roleCol"), t("r_followups")],
    data.causes.map((c) => [reportName(names, "causes", c.cause), c.decisions, c.municipality_role,
      Object.entries(c.followups).map(([f, n]) => `${reportName(names, "followups", f)} (${n})`).join("; ") || "–"])));
  body.replaceChildren(...parts);
}

// A link in the report's error summary moves the focus to its field (GOV.UK error summary pattern).
document.addEventListener("DOMContentLoaded", () => {
  $("report-errors").addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const target = link && $(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    target.focus();
  });
});

// The report on screen follows the page's language.
new MutationObserver(() => { renderReport(); }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });

// --- language --------------------------------------------------------------------------------------

function applyLanguage(next) {
  lang = next;
  document.documentElement.lang = lang;
  document.title = lang === "nl" ? "maatwerk: advies op maat bij handhaving" : "maatwerk: tailored enforcement advice";
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("nav").setAttribute("aria-label", t("nav"));
  const button = $("lang-switch");
  button.textContent = t("switchTo");
  button.setAttribute("lang", t("switchLang"));
  buildForm();
  if (lastAdvice) {
    renderAdvice(lastAdvice);
    prepareWhatIf();
    const keep = { m: $("d-measure").value, a: $("d-amount").value };
    prepareDecision();
    $("d-measure").value = keep.m;
    $("d-amount").value = keep.a;
    updateDeviation();
  }
  try { localStorage.setItem("maatwerk-lang", lang); } catch { /* private mode */ }
}

async function loadJson() {
  let data;
  try {
    data = JSON.parse($("case-json").value);
  } catch (err) {
    say(t("jsonBad") + err.message);
    return;
  }
  pending = fillForm(data);
  await pending;
  say(t("loaded"));
}

document.addEventListener("DOMContentLoaded", () => {
  const asked = new URLSearchParams(location.search).get("lang");
  let stored = null;
  try { stored = localStorage.getItem("maatwerk-lang"); } catch { /* private mode */ }
  applyLanguage(asked === "en" || asked === "nl" ? asked : stored === "en" ? "en" : "nl");
  loadForm(domain).then(buildForm, () => null);
  $("case-form").addEventListener("submit", advise);
  $("whatif-form").addEventListener("submit", whatIf);
  $("whatif-field").addEventListener("change", whatIfControl);
  $("decision-form").addEventListener("submit", record);
  // Enter in a text field does not submit a decision: only the button records it.
  $("decision-form").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target instanceof HTMLInputElement) event.preventDefault();
  });
  // Another decision gets another idempotency key; the same decision sent again keeps its key.
  for (const kind of ["input", "change"]) $("decision-form").addEventListener(kind, () => { decisionKey = null; });
  $("case-fields").addEventListener("change", (event) => {
    uploadBad.delete(event.target.name);
    const inRow = /^f-history\.(\d+)\.(\w+)$/.exec(event.target.id);
    if (inRow && rows[Number(inRow[1])]) delete rows[Number(inRow[1])].bad[inRow[2]];
  });
  $("case-fields").addEventListener("click", (event) => {
    const remove = event.target.closest(".remove-row");
    if (remove) removeRow(Number(remove.dataset.row));
    else if (event.target.closest("#add-row")) addRow();
  });
  // A link in an error summary, or a missing fact's or a decision's question in the advice, moves the
  // focus to its field (GOV.UK error summary pattern).
  for (const id of ["case-errors", "decision-errors", "advice-body"]) {
    $(id).addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      const target = link && $(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
  }
  $("d-measure").addEventListener("change", () => {
    if (!AMOUNTS.includes($("d-measure").value)) $("d-amount").value = "";
    updateDeviation();
  });
  $("d-amount").addEventListener("input", updateDeviation);
  $("print-letter").addEventListener("click", printLetter);
  $("download-letter").addEventListener("click", downloadLetter);
  $("report-form").addEventListener("submit", report);
  $("lang-switch").addEventListener("click", () => applyLanguage(lang === "nl" ? "en" : "nl"));
  $("load-json").addEventListener("click", loadJson);
  $("case-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    $("case-json").value = await file.text();
    loadJson();
  });
});
