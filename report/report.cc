#include "report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "model/analysis_text.h"
#include "model/as_of.h"
#include "model/chains.h"
#include "model/diff.h"
#include "model/gaps.h"
#include "model/linkage_graph.h"
#include "model/output_file.h"
#include "model/reach.h"
#include "render/render.h"
#include "report/document.h"
#include "report/labels.h"

namespace imozuru::report {
namespace {

// An identifier's place in the ranking: how many systems hold it and how far
// reach from it goes.
struct RankedIdentifier {
  Index identifier = kNone;
  std::vector<Index> holders;
  ReachResult reach;
  std::size_t holder_sectors = 0, reach_sectors = 0;
  std::vector<Index> special_data;  // special-category data reach learns
  int max_depth = 0;
};

class ReportBuilder {
 public:
  ReportBuilder(const Model& model, const ReportOptions& options, std::vector<std::string>* warnings)
      : m_(model), o_(options), lang_(options.lang), at_(model, options.at, options.include_planned), graph_(at_),
        warnings_(warnings) {}

  Report build() {
    doc_.lang = std::string(to_string(lang_));
    doc_.title = m_.model_name(lang_).empty() ? say(lang_, "芋づる分析レポート", "Chain-linking report")
                                         : m_.model_name(lang_) + say(lang_, "：芋づる分析レポート", ": chain-linking report");
    rank_identifiers();
    introduction();
    summary();
    identifier_ranking();
    key_chains();
    consent_gaps();
    if (o_.compare) changes();
    diagrams();
    sources();
    Report report;
    if (o_.format == ReportFormat::markdown) {
      report.text = to_markdown(doc_, o_.files_dir);
      for (const Block& b : doc_.blocks)
        if (b.kind == Block::Kind::figure)
          report.files.push_back({o_.files_dir + "/" + b.figure.name + ".svg", b.figure.svg});
    } else {
      report.text = to_html(doc_);
    }
    return report;
  }

 private:
  std::string name(const Entity& e) const { return e.display_name(lang_); }
  std::string date() const { return at_.at().iso(); }
  void warn(const std::string& message) {
    if (warnings_) warnings_->push_back(message);
  }
  std::string count(std::size_t n) const { return std::to_string(n); }
  std::string cite(std::vector<const Entity*> entities) const { return citations_text(m_, entities, lang_); }
  std::string sector_count(const std::vector<Index>& systems) const {
    std::set<std::string> sectors;
    for (Index s : systems) sectors.insert(m_.systems[s].sector);
    return count(sectors.size());
  }

  void rank_identifiers() {
    for (Index i : at_.identifiers()) {
      const Identifier& id = m_.identifiers[i];
      if (id.scope != Scope::global || at_.holders_of_identifier(i).empty()) continue;
      RankedIdentifier r;
      r.identifier = i;
      r.holders = at_.holders_of_identifier(i);
      r.reach = reach(graph_, {EntityRef{EntityKind::identifier, id.id}});
      std::set<std::string> holder_sectors, reach_sectors;
      for (Index s : r.holders) holder_sectors.insert(m_.systems[s].sector);
      for (const auto& rs : r.reach.systems) {
        reach_sectors.insert(m_.systems[rs.system].sector);
        r.max_depth = std::max(r.max_depth, rs.depth);
      }
      r.holder_sectors = holder_sectors.size();
      r.reach_sectors = reach_sectors.size();
      for (Index d : r.reach.data)
        if (m_.data[d].sensitivity == Sensitivity::special) r.special_data.push_back(d);
      ranked_.push_back(std::move(r));
    }
    std::sort(ranked_.begin(), ranked_.end(), [&](const RankedIdentifier& a, const RankedIdentifier& b) {
      if (a.holders.size() != b.holders.size()) return a.holders.size() > b.holders.size();
      if (a.reach.systems.size() != b.reach.systems.size()) return a.reach.systems.size() > b.reach.systems.size();
      return m_.identifiers[a.identifier].id < m_.identifiers[b.identifier].id;
    });
  }

  void introduction() {
    std::string text = lang_ == Lang::ja
                           ? date() + " 時点のモデル「" + (m_.model_name(lang_).empty() ? "（無題）" : m_.model_name(lang_)) +
                                 "」について、識別子による突合（芋づる式の連結）と同意の欠落を分析した。"
                           : "Chain-linking through identifiers and consent gaps in the model \"" +
                                 (m_.model_name(lang_).empty() ? "(untitled)" : m_.model_name(lang_)) + "\" as of " + date() + ".";
    if (o_.include_planned) text += say(lang_, "計画・構想中のものを含む。", " Planned and proposed entities are included.");
    doc_.paragraph(text);
    if (m_.info && !m_.info->description.empty()) doc_.paragraph(m_.info->description);
    doc_.paragraph(say(lang_,
                       "数値はすべて imozuru の分析（到達範囲・連鎖・同意の欠落・差分）による。各行の出典欄は、その行の"
                       "事実を記述したモデルの出典（資料名と該当箇所）である。",
                       "Every figure comes from imozuru's analyses (reach, chains, consent gaps, diff). The source "
                       "column of each row cites where the model takes that fact from (source title and place)."));
  }

  void summary() {
    doc_.heading(2, say(lang_, "概要", "Summary"));
    std::size_t global = 0, holder = 0, special = 0;
    for (Index i : at_.identifiers()) (m_.identifiers[i].scope == Scope::global ? global : holder)++;
    for (Index d : at_.data()) special += m_.data[d].sensitivity == Sensitivity::special;
    std::set<std::string> sectors;
    for (Index s : at_.systems()) sectors.insert(m_.systems[s].sector);
    std::size_t laws = 0;
    for (Index l = 0; l < m_.laws.size(); ++l) laws += at_.law_active(l);
    gaps_ = find_gaps(at_);
    std::map<GapRule, std::size_t> by_rule;
    for (const Gap& g : gaps_.gaps) by_rule[g.rule]++;

    Table t;
    t.header = {say(lang_, "項目", "Figure"), say(lang_, "値", "Value")};
    t.rows.push_back({say(lang_, "基準日", "As of"), date()});
    t.rows.push_back({say(lang_, "システム", "Systems"), count(at_.systems().size())});
    t.rows.push_back({say(lang_, "分野", "Sectors"), count(sectors.size())});
    t.rows.push_back({say(lang_, "識別子（共通の値／保有機関ごとの値）", "Identifiers (global / holder-scoped)"),
                      fmt::format("{} ({} / {})", at_.identifiers().size(), global, holder)});
    t.rows.push_back({say(lang_, "データ項目（うち要配慮）", "Data items (special category)"),
                      fmt::format("{} ({})", at_.data().size(), special)});
    t.rows.push_back({say(lang_, "データの流れ", "Data flows"), count(at_.flows().size())});
    t.rows.push_back({say(lang_, "有効な法令", "Laws in force"), count(laws)});
    t.rows.push_back({say(lang_, "同意の欠落", "Consent gaps"), count(gaps_.gaps.size())});
    for (const auto& [rule, n] : by_rule)
      t.rows.push_back({"  " + gap_rule_text(rule, lang_) + " (" + std::string(to_string(rule)) + ")", count(n)});
    if (!ranked_.empty()) {
      const RankedIdentifier& top = ranked_.front();
      t.rows.push_back({say(lang_, "最も多くのシステムが保有する識別子", "Identifier held by the most systems"),
                        fmt::format(lang_ == Lang::ja ? "{}：{} システムが保有、芋づる式に {} / {} システムへ到達"
                                                      : "{}: held by {} systems; reach covers {} of {} systems",
                                    name(m_.identifiers[top.identifier]), top.holders.size(), top.reach.systems.size(),
                                    at_.systems().size())});
    }
    doc_.table(std::move(t));
  }

  void identifier_ranking() {
    doc_.heading(2, say(lang_, "識別子の連結力", "Identifiers ranked by how much they join"));
    doc_.paragraph(say(lang_,
                       "共通の値を持つ識別子（scope: global）ごとに、それを保有するシステムの数と、その識別子から出発して"
                       "芋づる式に到達できる範囲（到達範囲 reach）を示す。保有システム数、到達システム数の順に並べた。",
                       "For each identifier with one value per person across systems (scope: global): the systems "
                       "holding it, and what reach from it covers. Ordered by holders, then systems reached."));
    if (ranked_.empty()) {
      doc_.paragraph(say(lang_, "この時点で複数のシステムを結ぶ識別子はない。", "No identifier joins systems at this date."));
      return;
    }
    Table t;
    t.header = {say(lang_, "順位", "Rank"),
                say(lang_, "識別子", "Identifier"),
                say(lang_, "保有システム（分野数）", "Held by (sectors)"),
                say(lang_, "到達システム（分野数）", "Reach: systems (sectors)"),
                say(lang_, "最大の深さ", "Max depth"),
                say(lang_, "到達する要配慮情報", "Special data reached"),
                say(lang_, "利用を制限する法令", "Laws restricting it"),
                say(lang_, "出典", "Sources")};
    for (std::size_t k = 0; k < ranked_.size(); ++k) {
      const RankedIdentifier& r = ranked_[k];
      const Identifier& id = m_.identifiers[r.identifier];
      std::vector<std::string> holders, special, laws;
      for (Index s : r.holders) holders.push_back(name(m_.systems[s]));
      for (Index d : r.special_data) special.push_back(name(m_.data[d]));
      std::vector<const Entity*> cited{&id};
      for (const Ref& l : id.regulated_by) {
        laws.push_back(law_text(m_.laws[l.index], lang_));
        cited.push_back(&m_.laws[l.index]);
      }
      t.rows.push_back({count(k + 1), name(id),
                        fmt::format("{} ({}): {}", r.holders.size(), r.holder_sectors, join_names(holders, lang_)),
                        fmt::format("{} / {} ({})", r.reach.systems.size(), at_.systems().size(), r.reach_sectors),
                        count(r.max_depth), special.empty() ? say(lang_, "なし", "none") : join_names(special, lang_),
                        laws.empty() ? say(lang_, "なし", "none") : join_names(laws, lang_), cite(cited)});
    }
    doc_.table(std::move(t));
  }

  void key_chains() {
    doc_.heading(2, say(lang_, "主要な識別子から要配慮情報への連鎖", "Chains from the key identifiers to special-category data"));
    doc_.paragraph(fmt::format(
        lang_ == Lang::ja ? "選び方：上の順位で 2 つ以上のシステムが保有する識別子の上位 {} 件について、その識別子からの"
                            "到達範囲に含まれる要配慮情報（sensitivity: special）ごとに最短の連鎖（経由するシステム数が最少、"
                            "同数なら ID 順）を示す。1 識別子あたり短い順に最大 {} 本。"
                          : "Rule: for the top {} identifiers above that at least two systems hold, the shortest chain "
                            "(fewest systems; ties by ids) to each special-category data item (sensitivity: special) "
                            "within reach from it; at most {} per identifier, shortest first.",
        o_.key_identifiers, o_.chains_per_identifier));
    std::size_t shown = 0;
    for (const RankedIdentifier& r : ranked_) {
      if (shown == o_.key_identifiers) break;
      if (r.holders.size() < 2) continue;
      ++shown;
      const Identifier& id = m_.identifiers[r.identifier];
      doc_.heading(3, name(id));
      EntityRef from{EntityKind::identifier, id.id};
      std::vector<std::pair<Chain, Index>> found;
      for (Index d : r.special_data) {
        ChainsResult result = chains(graph_, from, EntityRef{EntityKind::data, m_.data[d].id});
        if (!result.chains.empty()) found.emplace_back(result.chains.front(), d);
      }
      std::stable_sort(found.begin(), found.end(),
                       [](const auto& a, const auto& b) { return a.first.length < b.first.length; });
      if (found.empty()) {
        doc_.paragraph(say(lang_, "この識別子から到達できる要配慮情報はない。", "No special-category data is within reach."));
        continue;
      }
      Table t;
      t.header = {say(lang_, "要配慮情報", "Special data"), say(lang_, "システム数", "Systems"),
                  say(lang_, "連鎖", "Chain"), say(lang_, "出典", "Sources")};
      for (std::size_t k = 0; k < found.size() && k < o_.chains_per_identifier; ++k) {
        const auto& [chain, d] = found[k];
        std::vector<const Entity*> cited{&id};
        for (const ChainHop& hop : chain.hops) {
          if (hop.kind == ChainHop::Kind::flow) cited.push_back(&m_.flows[hop.flow]);
          else cited.push_back(&m_.systems[hop.system]);
        }
        cited.push_back(&m_.data[d]);
        t.rows.push_back({name(m_.data[d]), count(chain.length), chain_line(m_, chain, from, lang_), cite(cited)});
      }
      doc_.table(std::move(t));
      if (found.size() > o_.chains_per_identifier)
        doc_.paragraph(fmt::format(lang_ == Lang::ja ? "ほか {} 件の要配慮情報に到達する。" : "{} more special data items are within reach.",
                                   found.size() - o_.chains_per_identifier));
    }
    if (shown == 0)
      doc_.paragraph(say(lang_, "2 つ以上のシステムが保有する識別子はない。", "No identifier is held by two or more systems."));
  }

  std::vector<std::string> laws_of_gap(const Gap& g, std::vector<const Entity*>& cited) const {
    std::vector<std::string> out;
    auto add = [&](Index l) {
      out.push_back(law_text(m_.laws[l], lang_));
      cited.push_back(&m_.laws[l]);
    };
    if (g.rule == GapRule::basis_not_in_force) {
      for (Index l : g.laws) add(l);
    } else if (g.flow != kNone) {
      for (const Ref& l : m_.flows[g.flow].basis) add(l.index);
    } else if (g.identifier != kNone) {
      for (const Ref& l : m_.identifiers[g.identifier].regulated_by) add(l.index);
    }
    return out;
  }

  std::string gap_subject(const Gap& g) const {
    if (g.flow != kNone) {
      const Flow& f = m_.flows[g.flow];
      return name(f) + " (" + name(m_.systems[f.from.index]) + " → " + name(m_.systems[f.to.index]) + ")";
    }
    return name(m_.identifiers[g.identifier]);
  }

  std::string gap_reason(const Gap& g) const {
    if (lang_ == Lang::en) return g.reason;
    std::vector<std::string> data;
    for (Index d : g.data) data.push_back(name(m_.data[d]));
    switch (g.rule) {
      case GapRule::unconsented_sensitive:
      case GapRule::comprehensive_consent:
        return "要配慮情報（" + join_names(data, lang_) + "）を" + std::string(consent_label(m_.flows[g.flow].consent, lang_)) + "で提供";
      case GapRule::consent_not_propagated: {
        std::vector<std::string> upstream;
        for (Index f : g.upstream_flows) upstream.push_back(name(m_.flows[f]));
        return join_names(upstream, lang_) + "で本人同意を得て受け取った要配慮情報（" + join_names(data, lang_) + "）を" +
               std::string(consent_label(m_.flows[g.flow].consent, lang_)) + "で再提供";
      }
      case GapRule::unregulated_key:
        return "利用を制限する法令のない識別子が、" + std::to_string(g.systems.size()) + " システムの突合に使える";
      case GapRule::basis_not_in_force: return "根拠とされた法令がすべて失効している";
      case GapRule::no_basis: return "本人の選択も法令上の根拠もなく提供している";
    }
    return g.reason;
  }

  void consent_gaps() {
    doc_.heading(2, say(lang_, "同意の欠落", "Consent gaps"));
    if (gaps_.gaps.empty()) {
      doc_.paragraph(say(lang_, "この時点で同意の欠落は見つからない。", "No consent gap at this date."));
      return;
    }
    Table t;
    t.header = {"#",
                say(lang_, "規則", "Rule"),
                say(lang_, "対象", "Subject"),
                say(lang_, "システム", "Systems"),
                say(lang_, "データ", "Data"),
                say(lang_, "同意", "Consent"),
                say(lang_, "法令", "Laws"),
                say(lang_, "内容", "Reason"),
                say(lang_, "出典", "Sources")};
    for (std::size_t k = 0; k < gaps_.gaps.size(); ++k) {
      const Gap& g = gaps_.gaps[k];
      std::vector<const Entity*> cited;
      if (g.flow != kNone) cited.push_back(&m_.flows[g.flow]);
      if (g.identifier != kNone) cited.push_back(&m_.identifiers[g.identifier]);
      std::vector<std::string> systems, data;
      for (Index s : g.systems) systems.push_back(name(m_.systems[s]));
      for (Index d : g.data) data.push_back(name(m_.data[d]));
      std::vector<std::string> laws = laws_of_gap(g, cited);
      t.rows.push_back({count(k + 1), gap_rule_text(g.rule, lang_) + " (" + std::string(to_string(g.rule)) + ")",
                        gap_subject(g), join_names(systems, lang_), data.empty() ? "—" : join_names(data, lang_),
                        g.flow != kNone ? std::string(consent_label(m_.flows[g.flow].consent, lang_)) : "—",
                        laws.empty() ? say(lang_, "なし", "none") : join_names(laws, lang_), gap_reason(g), cite(cited)});
    }
    doc_.table(std::move(t));
  }

  template <class T>
  void change_table(const char* ja, const char* en, const std::vector<T>& entities, const ActiveSetChange& change) {
    if (change.added.empty() && change.removed.empty()) return;
    doc_.heading(3, say(lang_, ja, en));
    Table t;
    t.header = {say(lang_, "変化", "Change"), say(lang_, "名称", "Name"), "ID", say(lang_, "期間", "Period"),
                say(lang_, "状態", "Status"), say(lang_, "出典", "Sources")};
    auto rows = [&](const std::vector<Index>& v, const char* mark) {
      for (Index i : v) {
        const Entity& e = entities[i];
        t.rows.push_back({mark, name(e), e.id, period_text(e), status_text(e.status, lang_), cite({&e})});
      }
    };
    rows(change.added, say(lang_, "追加", "added"));
    rows(change.removed, say(lang_, "終了", "removed"));
    doc_.table(std::move(t));
  }

  void changes() {
    DiffOptions options;
    options.include_planned = o_.include_planned;
    DiffResult d = diff(m_, *o_.compare, o_.at, options);
    doc_.heading(2, fmt::format(lang_ == Lang::ja ? "{} からの変化" : "What changed since {}", d.from.iso()));
    doc_.paragraph(fmt::format(lang_ == Lang::ja ? "{} 時点と {} 時点のモデルの差分。" : "The model as of {} compared with {}.",
                               lang_ == Lang::ja ? d.from.iso() : d.to.iso(), lang_ == Lang::ja ? d.to.iso() : d.from.iso()));
    change_table("システム", "Systems", m_.systems, d.systems);
    change_table("識別子", "Identifiers", m_.identifiers, d.identifiers);
    change_table("データ項目", "Data items", m_.data, d.data);
    change_table("データの流れ", "Data flows", m_.flows, d.flows);
    change_table("法令", "Laws", m_.laws, d.laws);
    auto pairs = [&](const char* ja, const char* en, const std::vector<JoinablePair>& v) {
      if (v.empty()) return;
      constexpr std::size_t kMaxRows = 50;
      doc_.heading(3, fmt::format("{} ({})", say(lang_, ja, en), v.size()));
      Table t;
      t.header = {say(lang_, "システム A", "System A"), say(lang_, "システム B", "System B"),
                  say(lang_, "共通の識別子", "Shared identifiers"), say(lang_, "出典", "Sources")};
      for (std::size_t k = 0; k < v.size() && k < kMaxRows; ++k) {
        std::vector<std::string> through;
        std::vector<const Entity*> cited{&m_.systems[v[k].a], &m_.systems[v[k].b]};
        for (Index i : v[k].through) through.push_back(name(m_.identifiers[i]));
        t.rows.push_back({name(m_.systems[v[k].a]), name(m_.systems[v[k].b]), join_names(through, lang_), cite(cited)});
      }
      doc_.table(std::move(t));
      if (v.size() > kMaxRows)
        doc_.paragraph(fmt::format(lang_ == Lang::ja ? "ほか {} 組（imozuru diff で全件を出力できる）。"
                                                     : "{} more pairs (imozuru diff lists them all).",
                                   v.size() - kMaxRows));
    };
    pairs("突合可能になったシステムの組", "System pairs that became joinable", d.became_joinable);
    pairs("突合できなくなったシステムの組", "System pairs that stopped being joinable", d.ceased_joinable);
    if (d.pairs_truncated)
      doc_.paragraph(say(lang_, "組の一覧は上限で打ち切られている。", "The lists of pairs were truncated at the limit."));
    auto gap_list = [&](const char* ja, const char* en, const std::vector<Gap>& v) {
      if (v.empty()) return;
      doc_.heading(3, fmt::format("{} ({})", say(lang_, ja, en), v.size()));
      Table t;
      t.header = {say(lang_, "規則", "Rule"), say(lang_, "対象", "Subject"), say(lang_, "内容", "Reason"),
                  say(lang_, "出典", "Sources")};
      for (const Gap& g : v) {
        std::vector<const Entity*> cited;
        if (g.flow != kNone) cited.push_back(&m_.flows[g.flow]);
        if (g.identifier != kNone) cited.push_back(&m_.identifiers[g.identifier]);
        t.rows.push_back({gap_rule_text(g.rule, lang_), gap_subject(g), gap_reason(g), cite(cited)});
      }
      doc_.table(std::move(t));
    };
    gap_list("新たに生じた同意の欠落", "Consent gaps that appeared", d.gaps_appeared);
    gap_list("解消した同意の欠落", "Consent gaps that disappeared", d.gaps_disappeared);
    if (d.systems.added.empty() && d.systems.removed.empty() && d.identifiers.added.empty() &&
        d.identifiers.removed.empty() && d.data.added.empty() && d.data.removed.empty() && d.flows.added.empty() &&
        d.flows.removed.empty() && d.laws.added.empty() && d.laws.removed.empty() && d.became_joinable.empty() &&
        d.ceased_joinable.empty() && d.gaps_appeared.empty() && d.gaps_disappeared.empty())
      doc_.paragraph(say(lang_, "変化はない。", "Nothing changed."));
  }

  void diagrams() {
    doc_.heading(2, say(lang_, "図", "Diagrams"));
    struct ViewSpec {
      render::View view;
      const char* name;
      const char* ja;
      const char* en;
    };
    for (const ViewSpec& v : {ViewSpec{render::View::linkage, "linkage", "識別子による連結可能性", "Linkage through identifiers"},
                              ViewSpec{render::View::flows, "flows", "分野ごとのシステムとデータの流れ", "Systems by sector and their data flows"}}) {
      render::RenderOptions options;
      options.view = v.view;
      options.format = render::Format::svg;
      options.lang = lang_;
      options.timeout_seconds = o_.render_timeout_seconds;
      std::string caption = fmt::format(lang_ == Lang::ja ? "図：{}（{} 時点）" : "Figure: {} (as of {})", say(lang_, v.ja, v.en), date());
      try {
        std::vector<std::string> messages;
        std::string svg = render::render_diagram(at_, options, &messages);
        doc_.figure(Figure{v.name, std::move(svg), caption});
      } catch (const std::exception& e) {
        warn(std::string("diagram ") + v.name + ": " + e.what());
        doc_.paragraph(caption + say(lang_, "：描画できなかった（", ": could not be drawn (") + e.what() + say(lang_, "）", ")"));
      }
    }
  }

  void sources() {
    doc_.heading(2, say(lang_, "出典一覧", "Sources"));
    if (m_.sources.empty()) {
      doc_.paragraph(say(lang_, "モデルに出典がない。", "The model names no sources."));
      return;
    }
    Table t;
    t.header = {"ID", say(lang_, "資料名", "Title"), say(lang_, "著者", "Author"), say(lang_, "発行者", "Publisher"),
                say(lang_, "日付", "Date"), "URL"};
    for (const Source& s : m_.sources) t.rows.push_back({s.id, s.title, s.author, s.publisher, s.date, s.url});
    doc_.table(std::move(t));
  }

  const Model& m_;
  const ReportOptions& o_;
  Lang lang_;
  ModelAt at_;
  LinkageGraph graph_;
  std::vector<std::string>* warnings_;
  Document doc_;
  std::vector<RankedIdentifier> ranked_;
  GapsResult gaps_;
};

}  // namespace

Report build_report(const Model& model, const ReportOptions& options, std::vector<std::string>* warnings) {
  return ReportBuilder(model, options, warnings).build();
}

std::string files_dir_for(const std::filesystem::path& report_path) {
  return report_path.stem().string() + "-files";
}

void write_report(const std::filesystem::path& path, const Report& report) {
  std::filesystem::path dir = path.parent_path();
  for (const ReportFile& f : report.files) {
    std::filesystem::path target = dir / f.path;
    std::filesystem::create_directories(target.parent_path());
    write_file_atomically(target, f.content);
  }
  write_file_atomically(path, report.text);
}

}  // namespace imozuru::report
