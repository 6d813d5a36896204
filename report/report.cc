#include "report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <system_error>

#include "model/as_of.h"
#include "model/chains.h"
#include "model/diff.h"
#include "model/gaps.h"
#include "model/linkage_graph.h"
#include "model/output_file.h"
#include "model/person.h"
#include "model/reach.h"
#include "output/analysis_text.h"
#include "output/labels.h"
#include "output/legal_text.h"
#include "output/messages.h"
#include "render/render.h"
#include "report/document.h"

namespace imozuru::report {
namespace {

// An identifier's place in the ranking: how many systems hold it and how far
// reach from it goes.
struct RankedIdentifier {
  Index identifier = kNone;
  std::vector<Index> holders;
  ReachResult reach;
  ReachResult open_reach;  // joining only through identifiers no law restricts
  std::size_t holder_sectors = 0, reach_sectors = 0, open_reach_sectors = 0;
  std::vector<Index> special_data;  // special-category data reach learns
  int max_depth = 0;
};

class ReportBuilder {
 public:
  ReportBuilder(const Model& model, const ReportOptions& options, std::vector<std::string>* warnings)
      : m_(model),
        o_(options),
        lang_(options.lang),
        at_(model, options.at, options.include_planned, options.person),
        graph_(at_),
        warnings_(warnings) {}

  Report build() {
    doc_.lang = std::string(to_string(lang_));
    doc_.title = m_.model_name(lang_).empty() ? say(lang_, Msg::report_title)
                                              : say(lang_, Msg::report_title_of_model, m_.model_name(lang_));
    if (at_.person() != kNone)
      doc_.title += say(lang_, Msg::report_title_person, name(m_.persons[at_.person()]));
    rank_identifiers();
    introduction();
    summary();
    if (at_.person() != kNone) person_records();
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
  std::string person() const { return person_name(m_, at_.person(), lang_); }
  std::string date() const { return at_.at().iso(); }
  void warn(const std::string& message) {
    if (warnings_) warnings_->push_back(message);
  }
  std::string count(std::size_t n) const { return std::to_string(n); }
  std::string none() const { return say(lang_, Msg::word_none); }
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
      r.holders = at_.holders_of_identifier(i).vec();
      r.reach = reach(graph_, {EntityRef{EntityKind::identifier, id.id}});
      r.open_reach =
          reach(graph_, {EntityRef{EntityKind::identifier, id.id}}, ReachOptions{true, std::nullopt});
      std::set<std::string> holder_sectors, reach_sectors, open_reach_sectors;
      for (const auto& rs : r.open_reach.systems) open_reach_sectors.insert(m_.systems[rs.system].sector);
      r.open_reach_sectors = open_reach_sectors.size();
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
      if (a.reach.systems.size() != b.reach.systems.size())
        return a.reach.systems.size() > b.reach.systems.size();
      return m_.identifiers[a.identifier].id < m_.identifiers[b.identifier].id;
    });
  }

  void introduction() {
    const std::string& model_name = m_.model_name(lang_);
    std::string text = say(lang_, Msg::report_intro, date(),
                           model_name.empty() ? say(lang_, Msg::report_untitled) : model_name);
    if (o_.include_planned) text += say(lang_, Msg::report_intro_planned);
    if (at_.person() != kNone) text += say(lang_, Msg::report_intro_person, person());
    doc_.paragraph(text);
    if (m_.info && !m_.info->description.empty()) doc_.paragraph(m_.info->description);
    doc_.paragraph(say(lang_, Msg::report_intro_method));
  }

  void summary() {
    doc_.heading(2, say(lang_, Msg::report_summary));
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
    t.header = {say(lang_, Msg::report_summary_figure), say(lang_, Msg::report_summary_value)};
    t.rows.push_back({say(lang_, Msg::report_summary_as_of), date()});
    t.rows.push_back({say(lang_, Msg::report_summary_systems), count(at_.systems().size())});
    t.rows.push_back({say(lang_, Msg::report_summary_sectors), count(sectors.size())});
    t.rows.push_back({say(lang_, Msg::report_summary_identifiers),
                      fmt::format("{} ({} / {})", at_.identifiers().size(), global, holder)});
    t.rows.push_back(
        {say(lang_, Msg::report_summary_data), fmt::format("{} ({})", at_.data().size(), special)});
    t.rows.push_back({say(lang_, Msg::report_summary_flows), count(at_.flows().size())});
    t.rows.push_back({say(lang_, Msg::report_summary_laws), count(laws)});
    std::size_t open = 0;
    for (const Gap& g : gaps_.gaps) open += gap_is_open(m_, g);
    t.rows.push_back(
        {say(lang_, Msg::report_summary_gaps_open),
         say(lang_, Msg::report_summary_gaps_open_value, gaps_.gaps.size(), open, gaps_.gaps.size() - open)});
    for (const auto& [rule, n] : by_rule)
      t.rows.push_back(
          {"  " + gap_rule_label(rule, lang_) + " (" + std::string(to_string(rule)) + ")", count(n)});
    if (!ranked_.empty()) {
      const RankedIdentifier& top = ranked_.front();
      t.rows.push_back({say(lang_, Msg::report_summary_top_identifier),
                        say(lang_, Msg::report_summary_top_identifier_value,
                            name(m_.identifiers[top.identifier]), top.holders.size(),
                            top.reach.systems.size(), at_.systems().size(), top.open_reach.systems.size())});
    }
    doc_.table(std::move(t));
  }

  // The person's exposure (imozuru person): the systems holding their
  // records, by sector, and what each holds.
  void person_records() {
    doc_.heading(2, say(lang_, Msg::report_person_records, person()));
    PersonResult r = person_exposure(at_);
    doc_.paragraph(say(lang_, Msg::report_person_intro, date(), r.systems.size(), r.flows.size()));
    Table t;
    t.header = {say(lang_, Msg::report_person_sector), say(lang_, Msg::report_person_system),
                say(lang_, Msg::report_person_identifiers), say(lang_, Msg::report_person_data),
                say(lang_, Msg::report_column_sources)};
    std::vector<const PersonHolding*> rows;
    for (const PersonHolding& h : r.systems) rows.push_back(&h);
    std::stable_sort(rows.begin(), rows.end(), [&](const PersonHolding* a, const PersonHolding* b) {
      return m_.systems[a->system].sector < m_.systems[b->system].sector;
    });
    for (const PersonHolding* h : rows) {
      std::vector<std::string> ids, data;
      for (Index i : h->identifiers) ids.push_back(name(m_.identifiers[i]));
      for (Index d : h->data)
        data.push_back((m_.data[d].sensitivity == Sensitivity::special ? "●" : "") + name(m_.data[d]));
      const System& s = m_.systems[h->system];
      t.rows.push_back({sector_label(s.sector, lang_), name(s), ids.empty() ? "—" : join_list(ids, lang_),
                        data.empty() ? "—" : join_list(data, lang_), cite({&s})});
    }
    doc_.table(std::move(t));
  }

  void identifier_ranking() {
    doc_.heading(2, say(lang_, Msg::report_ranking));
    doc_.paragraph(say(lang_, Msg::report_ranking_intro));
    if (ranked_.empty()) {
      doc_.paragraph(say(lang_, Msg::report_ranking_empty));
      return;
    }
    Table t;
    t.header = {say(lang_, Msg::report_ranking_rank),         say(lang_, Msg::report_ranking_identifier),
                say(lang_, Msg::report_ranking_holders),      say(lang_, Msg::report_ranking_reach),
                say(lang_, Msg::report_ranking_open_reach),   say(lang_, Msg::report_ranking_max_depth),
                say(lang_, Msg::report_ranking_special_data), say(lang_, Msg::report_ranking_laws),
                say(lang_, Msg::report_column_sources)};
    for (std::size_t k = 0; k < ranked_.size(); ++k) {
      const RankedIdentifier& r = ranked_[k];
      const Identifier& id = m_.identifiers[r.identifier];
      std::vector<std::string> holders, special, laws;
      for (Index s : r.holders) holders.push_back(name(m_.systems[s]));
      for (Index d : r.special_data) special.push_back(name(m_.data[d]));
      std::vector<const Entity*> cited{&id};
      for (const Ref& l : id.regulated_by) {
        laws.push_back(law_with_state(m_, m_.laws[l.index], at_.at(), lang_));
        cited.push_back(&m_.laws[l.index]);
      }
      t.rows.push_back(
          {count(k + 1), name(id),
           fmt::format("{} ({}): {}", r.holders.size(), r.holder_sectors, join_list(holders, lang_)),
           fmt::format("{} / {} ({})", r.reach.systems.size(), at_.systems().size(), r.reach_sectors),
           fmt::format("{} / {} ({})", r.open_reach.systems.size(), at_.systems().size(),
                       r.open_reach_sectors),
           count(r.max_depth), special.empty() ? none() : join_list(special, lang_),
           laws.empty() ? none() : join_list(laws, lang_), cite(cited)});
    }
    doc_.table(std::move(t));
  }

  void key_chains() {
    doc_.heading(2, say(lang_, Msg::report_chains));
    doc_.paragraph(say(lang_, Msg::report_chains_rule, o_.key_identifiers, o_.chains_per_identifier));
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
        doc_.paragraph(say(lang_, Msg::report_chains_none_reached));
        continue;
      }
      Table t;
      t.header = {say(lang_, Msg::report_chains_special_data), say(lang_, Msg::report_chains_systems),
                  say(lang_, Msg::report_chains_chain), say(lang_, Msg::report_chains_joins),
                  say(lang_, Msg::report_column_sources)};
      for (std::size_t k = 0; k < found.size() && k < o_.chains_per_identifier; ++k) {
        const auto& [chain, d] = found[k];
        std::vector<const Entity*> cited{&id};
        for (const ChainHop& hop : chain.hops) {
          if (hop.kind == ChainHop::Kind::flow)
            cited.push_back(&m_.flows[hop.flow]);
          else
            cited.push_back(&m_.systems[hop.system]);
        }
        cited.push_back(&m_.data[d]);
        for (Index l : chain.restricted_by) cited.push_back(&m_.laws[l]);
        t.rows.push_back({name(m_.data[d]), count(chain.length), chain_line(m_, chain, from, at_.at(), lang_),
                          chain_joins(m_, chain, lang_), cite(cited)});
      }
      doc_.table(std::move(t));
      if (found.size() > o_.chains_per_identifier)
        doc_.paragraph(say(lang_, Msg::report_chains_more, found.size() - o_.chains_per_identifier));
    }
    if (shown == 0) doc_.paragraph(say(lang_, Msg::report_chains_no_identifier));
  }

  std::string rule_cell(const Gap& g) const {
    return gap_rule_label(g.rule, lang_) + " (" + std::string(to_string(g.rule)) + ")";
  }
  std::string consent_cell(const Gap& g) const {
    return g.flow != kNone ? consent_label(m_.flows[g.flow].consent, lang_) : "—";
  }
  // The gap's main entity, its laws and its assessment, for the sources column.
  std::string cite_gap(const Gap& g) const {
    std::vector<const Entity*> cited{&gap_main_entity(m_, g)};
    for (const GapLaw& l : g.laws) cited.push_back(&m_.laws[l.law]);
    if (g.assessment != kNone) cited.push_back(&m_.assessments[g.assessment]);
    return cite(cited);
  }

  // docs/report.md, "Consent gaps": the open gaps (no assessment, or one
  // that is disputed), then the gaps an assessment closed, each with its
  // justification and the laws it relies on.
  void consent_gaps() {
    doc_.heading(2, say(lang_, Msg::report_gaps));
    if (gaps_.gaps.empty()) {
      doc_.paragraph(say(lang_, Msg::report_gaps_none));
      return;
    }
    doc_.paragraph(say(lang_, Msg::report_gaps_intro));
    std::vector<const Gap*> open, closed;
    for (const Gap& g : gaps_.gaps) (gap_is_open(m_, g) ? open : closed).push_back(&g);

    gap_table(say(lang_, Msg::report_gaps_open, open.size()), Msg::report_gaps_open_none, open,
              {say(lang_, Msg::report_gaps_consent), say(lang_, Msg::report_gaps_laws),
               say(lang_, Msg::report_column_reason), say(lang_, Msg::report_gaps_assessment)},
              [&](const Gap& g) -> std::vector<std::string> {
                return {consent_cell(g), gap_laws_text(m_, g, lang_), gap_reason(m_, g, lang_),
                        g.assessment == kNone
                            ? "—"
                            : assessment_text(m_, m_.assessments[g.assessment], at_.at(), lang_)};
              });
    gap_table(say(lang_, Msg::report_gaps_closed, closed.size()), Msg::report_gaps_closed_none, closed,
              {say(lang_, Msg::report_gaps_decision), say(lang_, Msg::report_gaps_justification),
               say(lang_, Msg::report_gaps_assessment_laws), say(lang_, Msg::report_gaps_by),
               say(lang_, Msg::report_column_reason)},
              [&](const Gap& g) -> std::vector<std::string> {
                const Assessment& a = m_.assessments[g.assessment];
                return {say(lang_, Msg::report_gaps_decision_value, assessment_status_text(a.decision, lang_),
                            a.id),
                        a.justification, laws_with_state(m_, a.laws, at_.at(), lang_),
                        a.by.empty() ? "—" : a.by, gap_reason(m_, g, lang_)};
              });
  }

  // One table of gaps: number, severity, rule and subject, then the columns
  // of its kind (`columns`, filled by `cells`), then the sources.
  template <class Cells>
  void gap_table(const std::string& heading, Msg none, const std::vector<const Gap*>& gaps,
                 std::vector<std::string> columns, Cells cells) {
    doc_.heading(3, heading);
    if (gaps.empty()) {
      doc_.paragraph(say(lang_, none));
      return;
    }
    Table t;
    t.header = {"#", say(lang_, Msg::report_gaps_severity), say(lang_, Msg::report_column_rule),
                say(lang_, Msg::report_column_subject)};
    for (std::string& c : columns) t.header.push_back(std::move(c));
    t.header.push_back(say(lang_, Msg::report_column_sources));
    for (std::size_t k = 0; k < gaps.size(); ++k) {
      const Gap& g = *gaps[k];
      std::vector<std::string> row = {count(k + 1), severity_text(g.severity(), lang_), rule_cell(g),
                                      gap_subject(m_, g, lang_)};
      for (std::string& c : cells(g)) row.push_back(std::move(c));
      row.push_back(cite_gap(g));
      t.rows.push_back(std::move(row));
    }
    doc_.table(std::move(t));
  }

  template <class T>
  void change_table(Msg title, const std::vector<T>& entities, const ActiveSetChange& change) {
    if (change.added.empty() && change.removed.empty()) return;
    doc_.heading(3, say(lang_, title));
    Table t;
    t.header = {say(lang_, Msg::report_changes_change),
                say(lang_, Msg::report_changes_name),
                "ID",
                say(lang_, Msg::report_changes_period),
                say(lang_, Msg::report_changes_status),
                say(lang_, Msg::report_column_sources)};
    auto rows = [&](const std::vector<Index>& v, const std::string& mark) {
      for (Index i : v) {
        const Entity& e = entities[i];
        t.rows.push_back({mark, name(e), e.id, period_text(e), status_label(e.status, lang_), cite({&e})});
      }
    };
    rows(change.added, say(lang_, Msg::report_changes_added));
    rows(change.removed, say(lang_, Msg::report_changes_removed));
    doc_.table(std::move(t));
  }

  void changes() {
    DiffOptions options;
    options.include_planned = o_.include_planned;
    options.person = o_.person;
    DiffResult d = diff(m_, *o_.compare, o_.at, options);
    doc_.heading(2, say(lang_, Msg::report_changes, d.from.iso()));
    doc_.paragraph(say(lang_, Msg::report_changes_intro, d.from.iso(), d.to.iso()));
    change_table(Msg::report_changes_systems, m_.systems, d.systems);
    change_table(Msg::report_changes_identifiers, m_.identifiers, d.identifiers);
    change_table(Msg::report_changes_data, m_.data, d.data);
    change_table(Msg::report_changes_flows, m_.flows, d.flows);
    change_table(Msg::report_changes_laws, m_.laws, d.laws);
    auto pairs = [&](Msg title, const std::vector<JoinablePair>& v) {
      if (v.empty()) return;
      constexpr std::size_t kMaxRows = 50;
      doc_.heading(3, fmt::format("{} ({})", say(lang_, title), v.size()));
      Table t;
      t.header = {say(lang_, Msg::report_changes_system_a), say(lang_, Msg::report_changes_system_b),
                  say(lang_, Msg::report_changes_shared_identifiers), say(lang_, Msg::report_column_sources)};
      for (std::size_t k = 0; k < v.size() && k < kMaxRows; ++k) {
        std::vector<std::string> through;
        std::vector<const Entity*> cited{&m_.systems[v[k].a], &m_.systems[v[k].b]};
        for (Index i : v[k].through) through.push_back(name(m_.identifiers[i]));
        t.rows.push_back(
            {name(m_.systems[v[k].a]), name(m_.systems[v[k].b]), join_list(through, lang_), cite(cited)});
      }
      doc_.table(std::move(t));
      if (v.size() > kMaxRows)
        doc_.paragraph(say(lang_, Msg::report_changes_more_pairs, v.size() - kMaxRows));
    };
    pairs(Msg::report_changes_became_joinable, d.became_joinable);
    pairs(Msg::report_changes_ceased_joinable, d.ceased_joinable);
    if (d.pairs_truncated) doc_.paragraph(say(lang_, Msg::report_changes_pairs_truncated));
    auto gap_list = [&](Msg title, const std::vector<Gap>& v) {
      if (v.empty()) return;
      doc_.heading(3, fmt::format("{} ({})", say(lang_, title), v.size()));
      Table t;
      t.header = {say(lang_, Msg::report_column_rule), say(lang_, Msg::report_column_subject),
                  say(lang_, Msg::report_column_reason), say(lang_, Msg::report_column_sources)};
      for (const Gap& g : v) {
        t.rows.push_back({rule_cell(g), gap_subject(m_, g, lang_), gap_reason(m_, g, lang_), cite_gap(g)});
      }
      doc_.table(std::move(t));
    };
    gap_list(Msg::report_changes_gaps_appeared, d.gaps_appeared);
    gap_list(Msg::report_changes_gaps_disappeared, d.gaps_disappeared);
    if (d.systems.added.empty() && d.systems.removed.empty() && d.identifiers.added.empty() &&
        d.identifiers.removed.empty() && d.data.added.empty() && d.data.removed.empty() &&
        d.flows.added.empty() && d.flows.removed.empty() && d.laws.added.empty() && d.laws.removed.empty() &&
        d.became_joinable.empty() && d.ceased_joinable.empty() && d.gaps_appeared.empty() &&
        d.gaps_disappeared.empty())
      doc_.paragraph(say(lang_, Msg::report_changes_none));
  }

  void diagrams() {
    doc_.heading(2, say(lang_, Msg::report_diagrams));
    struct ViewSpec {
      render::View view;
      const char* name;
      Msg title;
    };
    for (const ViewSpec& v : {ViewSpec{render::View::linkage, "linkage", Msg::report_diagram_linkage},
                              ViewSpec{render::View::sectors, "sectors", Msg::report_diagram_sectors}}) {
      render::RenderOptions options;
      options.view = v.view;
      options.format = render::Format::svg;
      options.lang = lang_;
      options.timeout_seconds = o_.render_timeout_seconds;
      std::string caption = say(lang_, Msg::report_figure_caption, say(lang_, v.title), date());
      try {
        std::vector<std::string> messages;
        std::string svg = render::render_diagram(at_, options, &messages);
        doc_.figure(Figure{v.name, std::move(svg), caption});
      } catch (const std::exception& e) {
        warn(std::string("diagram ") + v.name + ": " + e.what());
        doc_.paragraph(say(lang_, Msg::report_figure_failed, caption, e.what()));
      }
    }
  }

  void sources() {
    doc_.heading(2, say(lang_, Msg::report_sources));
    if (m_.sources.empty()) {
      doc_.paragraph(say(lang_, Msg::report_sources_none));
      return;
    }
    Table t;
    t.header = {"ID",
                say(lang_, Msg::report_sources_title),
                say(lang_, Msg::report_sources_author),
                say(lang_, Msg::report_sources_publisher),
                say(lang_, Msg::report_sources_date),
                "URL"};
    for (const Source& s : m_.sources)
      t.rows.push_back({s.id, s.title, s.author, s.publisher, s.date, s.url});
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
  // The report's own directory must exist, as for every -o; only the
  // NAME-files directory beside it is made.
  std::error_code ec;
  if (!report.files.empty() && !std::filesystem::is_directory(dir.empty() ? "." : dir, ec))
    throw std::runtime_error("cannot write " + path.string() + ": the directory " + dir.string() +
                             " does not exist");
  for (const ReportFile& f : report.files) {
    std::filesystem::path target = dir / f.path;
    std::filesystem::create_directory(target.parent_path(), ec);
    if (ec) throw std::runtime_error("cannot write " + target.string() + ": " + ec.message());
    write_file_atomically(target, f.content);
  }
  write_file_atomically(path, report.text);
}

}  // namespace imozuru::report
