// A small model built in C++ for the render tests: five systems in four
// sectors, a national number, a sectoral number, a holder-scoped code, a
// quasi identifier, special data, a planned system, and every kind of flow.
#pragma once

#include <string>

#include "model/model.h"

namespace imozuru::testing {

inline Ref ref(const std::string& id) {
  Ref r;
  r.id = id;
  return r;
}

template <class T>
T entity(const std::string& id, const std::string& name, const std::string& name_en = "") {
  T e;
  e.id = id;
  e.name = name;
  e.name_en = name_en;
  return e;
}

// Resolves every Ref by id, as validate would.
inline void resolve(Model& m) {
  m.build_index();
  auto fix = [&](Ref& r, EntityKind k) { r.index = m.find(EntityRef{k, r.id}); };
  for (auto& s : m.systems) {
    for (auto& r : s.holds.identifiers) fix(r, EntityKind::identifier);
    for (auto& r : s.holds.data) fix(r, EntityKind::data);
  }
  for (auto& i : m.identifiers)
    for (auto& r : i.composed_of) fix(r, EntityKind::data);
  for (auto& f : m.flows) {
    fix(f.from, EntityKind::system);
    fix(f.to, EntityKind::system);
    for (auto& r : f.carries.identifiers) fix(r, EntityKind::identifier);
    for (auto& r : f.carries.data) fix(r, EntityKind::data);
  }
}

inline Model small_model() {
  Model m;
  m.info = ModelInfo{};
  m.info->name = "小さなモデル";

  auto name = entity<DataItem>("name", "氏名", "Name");
  auto address = entity<DataItem>("address", "住所", "Address");
  auto claims = entity<DataItem>("claims", "レセプト", "Medical claims");
  claims.sensitivity = Sensitivity::special;
  auto income = entity<DataItem>("income", "所得", "Income");
  m.data = {address, claims, income, name};

  auto mn = entity<Identifier>("my_number", "マイナンバー", "My Number");
  auto insured = entity<Identifier>("insured_no", "被保険者番号", "Insured number");
  insured.kind = IdentifierKind::sectoral;
  auto code = entity<Identifier>("link_code", "情報連携用符号", "Linkage code");
  code.kind = IdentifierKind::token;
  code.scope = Scope::holder;
  auto basic = entity<Identifier>("basic2", "基本2情報", "Basic two");
  basic.kind = IdentifierKind::quasi;
  basic.composed_of = {ref("name"), ref("address")};
  m.identifiers = {basic, insured, code, mn};

  auto juki = entity<System>("juki", "住基ネット", "Resident registry network");
  juki.sector = "identity";
  juki.holds.identifiers = {ref("my_number")};
  juki.holds.data = {ref("name"), ref("address")};
  auto insurer = entity<System>("insurer", "医療保険者", "Health insurer");
  insurer.sector = "health";
  insurer.holds.identifiers = {ref("insured_no"), ref("link_code")};
  insurer.holds.data = {ref("claims")};
  auto tax = entity<System>("tax", "国税庁", "National Tax Agency");
  tax.sector = "tax";
  tax.holds.identifiers = {ref("my_number"), ref("link_code")};
  tax.holds.data = {ref("income")};
  auto hub = entity<System>("hub", "情報提供ネットワーク", "");  // no English name: falls back
  hub.sector = "identity";
  hub.kind = SystemKind::hub;
  auto future = entity<System>("future", "構想中の基盤", "Proposed platform");
  future.sector = "private";
  future.status = Status::proposed;
  m.systems = {future, hub, insurer, juki, tax};

  auto f1 = entity<Flow>("juki_to_tax", "本人確認情報の提供", "Identity data");
  f1.from = ref("juki");
  f1.to = ref("tax");
  f1.carries.identifiers = {ref("my_number")};
  f1.carries.data = {ref("name"), ref("address")};
  f1.consent = Consent::none;
  auto f2 = entity<Flow>("insurer_to_hub", "レセプト照会", "Claims query");
  f2.from = ref("insurer");
  f2.to = ref("hub");
  f2.carries.data = {ref("claims")};
  f2.consent = Consent::card;
  auto f3 = entity<Flow>("hub_to_future", "二次利用", "Secondary use");
  f3.from = ref("hub");
  f3.to = ref("future");
  f3.carries.data = {ref("claims"), ref("income")};
  f3.consent = Consent::comprehensive;
  m.flows = {f3, f2, f1};

  resolve(m);
  return m;
}

}  // namespace imozuru::testing
