// Text from a model (names, notes, ids, sector words) made safe for each
// place it is written. Every writer of that place calls the function here;
// docs/security.md states the rules.
#pragma once

#include <string>
#include <string_view>

namespace imozuru::text {

// --- XML and HTML -----------------------------------------------------------
// One rule for every XML output (GraphML, the SVG of diagrams, the HTML of
// reports and pages): a character XML 1.0 does not allow (C0 controls other
// than TAB, LF and CR; U+FFFE; U+FFFF) and a byte that is not UTF-8 become
// U+FFFD; CR LF and a lone CR become LF, as an XML reader would read them.
bool allowed_in_xml(char32_t cp);
std::string xml_safe(std::string_view text);

// xml_safe, then & < > " ' as entities: text for HTML or XML element content
// and attribute values.
std::string html_escape(std::string_view text);

// JSON text to embed in an HTML <script> element: '<' as \u003c (nothing can
// end the element early), U+FFFE and U+FFFF as \ufffe and \uffff (the same
// characters, kept out of the page's text).
std::string json_for_html_script(std::string_view json);

// --- Graphviz ----------------------------------------------------------------
// Text for an HTML-like label of Graphviz (agstrdup_html): a newline becomes
// <BR/>, a CR is dropped, other control characters (C0, DEL) become a space,
// a backslash is doubled (Graphviz expands \N, \G … in HTML text too), and
// then html_escape's rule.
std::string dot_label_text(std::string_view text);

// --- CSV -------------------------------------------------------------------------
// How csv_field treats a cell a spreadsheet would run as a formula.
enum class CsvCells {
  spreadsheet_safe,  // a leading = + - @ TAB or CR gets a ' before it (OWASP's advice against CSV injection)
  raw,               // the text as it is, for programs that read the CSV
};

// One RFC 4180 field: quoted when it holds , " CR or LF, starts or ends with
// a space (some readers trim), or was neutralised against formulas.
std::string csv_field(std::string_view text, CsvCells cells = CsvCells::spreadsheet_safe);

// --- Terminals -----------------------------------------------------------------
// Text for a terminal and for text output generally, escaped the way `ls -b`
// and git show file names: LF as \n, CR as \r, other C0 controls (TAB is kept)
// and DEL as \xHH, C1 controls, the bidirectional embedding, override and
// isolate controls (U+202A–U+202E, U+2066–U+2069) and the line and paragraph
// separators (U+2028, U+2029) as \uHHHH, a byte that is not UTF-8 as \xHH.
// Everything else, backslashes included, is unchanged.
std::string terminal_text(std::string_view text);

}  // namespace imozuru::text
