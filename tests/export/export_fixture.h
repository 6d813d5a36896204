// A small model built by hand for the export tests: two sectors, a planned
// system, a holder-scoped identifier, a quasi identifier, a flow, and one
// hostile note (quotes, commas, newlines, Japanese, markup).
#pragma once

#include <string>

#include "model/model.h"

namespace imozuru::test {

inline const std::string kHostile = "He said \"hi\", then\nleft; 日本語 & <b>#quot; | %% `x`\r\nend";

inline Date date(const char* s) { return *Date::parse(s); }

inline Ref ref(const char* id) {
  Ref r;
  r.id = id;
  return r;
}

template <typename E>
E entity(const char* id, const char* name, const char* name_en = "") {
  E e;
  e.id = id;
  e.name = name;
  e.name_en = name_en;
  return e;
}

// Sorts, indexes and resolves every reference the way validate does.
inline void resolve(Model& m) {
  m.build_index();
  auto sys = [&](Ref& r) { r.index = m.find_system(r.id); };
  auto idf = [&](Ref& r) { r.index = m.find_identifier(r.id); };
  auto dat = [&](Ref& r) { r.index = m.find_data(r.id); };
  auto law = [&](Ref& r) { r.index = m.find_law(r.id); };
  for (System& s : m.systems) {
    for (Ref& r : s.holds.identifiers) idf(r);
    for (Ref& r : s.holds.data) dat(r);
  }
  for (Identifier& i : m.identifiers) {
    for (Ref& r : i.composed_of) dat(r);
    for (Ref& r : i.regulated_by) law(r);
    if (i.issuer) sys(*i.issuer);
  }
  for (Flow& f : m.flows) {
    sys(f.from);
    sys(f.to);
    for (Ref& r : f.carries.identifiers) idf(r);
    for (Ref& r : f.carries.data) dat(r);
    for (Ref& r : f.basis) law(r);
    if (f.key) idf(*f.key);
  }
}

inline Model export_model() {
  Model m;
  auto name = entity<DataItem>("name", "氏名", "Name");
  auto address = entity<DataItem>("address", "住所", "Address");
  auto claims = entity<DataItem>("claims", "レセプト", "Medical claims");
  claims.category = "health";
  claims.sensitivity = Sensitivity::special;
  claims.since = date("2021-10");
  m.data = {name, address, claims};

  auto my_number = entity<Identifier>("my_number", "個人番号", "My Number");
  my_number.visible = my_number.universal = my_number.unique = true;
  my_number.regulated_by = {ref("bangou_law")};
  my_number.issuer = ref("jumin");
  auto link_code = entity<Identifier>("link_code", "情報連携用符号", "Link code");
  link_code.kind = IdentifierKind::token;
  link_code.scope = Scope::holder;
  auto basic2 = entity<Identifier>("basic2", "基本2情報", "Name and address");
  basic2.kind = IdentifierKind::quasi;
  basic2.composed_of = {ref("name"), ref("address")};
  m.identifiers = {my_number, link_code, basic2};

  auto law = entity<Law>("bangou_law", "番号法");
  law.article = "第19条";
  m.laws = {law};

  auto jumin = entity<System>("jumin", "住民基本台帳", "Basic Resident Register");
  jumin.sector = "identity";
  jumin.kind = SystemKind::registry;
  jumin.holds.identifiers = {ref("my_number")};
  jumin.holds.data = {ref("name"), ref("address")};
  jumin.note = kHostile;
  auto insurer = entity<System>("insurer", "保険者 \"DB\", 本店", "Insurer");
  insurer.sector = "health";
  insurer.holds.identifiers = {ref("link_code")};
  insurer.holds.data = {ref("claims")};
  auto portal = entity<System>("portal", "マイナポータル", "Myna Portal");
  portal.sector = "portal";
  portal.status = Status::planned;
  portal.since = date("2017");
  m.systems = {jumin, insurer, portal};

  auto flow = entity<Flow>("jumin_to_insurer", "本人確認 <照会>", "Identity check");
  flow.from = ref("jumin");
  flow.to = ref("insurer");
  flow.carries.identifiers = {ref("my_number")};
  flow.carries.data = {ref("name")};
  flow.basis = {ref("bangou_law")};
  flow.consent = Consent::opt_out;
  flow.mode = "api";
  m.flows = {flow};
  resolve(m);
  return m;
}

}  // namespace imozuru::test
