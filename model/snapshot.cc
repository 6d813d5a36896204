#include "model/snapshot.h"

#include <elf.h>
#include <link.h>
#include <xxhash.h>

#include <cstring>
#include <string>
#include <unordered_map>

#include "model/snapshot_generated.h"

#ifndef IMOZURU_VERSION
#error "IMOZURU_VERSION is the project version, defined by model/CMakeLists.txt"
#endif

namespace imozuru {
namespace {

// Bump with any change to model/snapshot.fbs or to what a snapshot means.
constexpr std::uint32_t kSnapshotFormat = 1;

// A snapshot file: this magic, the XXH3 64-bit hash of the rest (little
// endian), then the FlatBuffers bytes. The hash catches a flipped bit the
// verifier cannot (a changed character in a name is still a valid buffer).
constexpr char kMagic[8] = {'I', 'M', 'Z', 'S', 'N', 'A', 'P', '1'};
constexpr std::size_t kHeader = 16;

// ---------------------------------------------------------------- writing

class Writer {
 public:
  explicit Writer(flatbuffers::FlatBufferBuilder& b) : b_(b) {}

  // Each distinct string once, as CreateSharedString would store it (the
  // same bytes: the first copy kept, the later ones point to it), found by
  // hash instead of CreateSharedString's ordered set of offsets, whose every
  // comparison reads two strings out of the buffer: that set was most of the
  // time a snapshot took to write (docs/performance.md#parsed-model-cache).
  flatbuffers::Offset<flatbuffers::String> str(const std::string& s) {
    if (s.empty()) return 0;
    auto [it, added] = strings_.try_emplace(s);
    if (added) it->second = b_.CreateString(s);
    return it->second;
  }
  fb::Pos pos(const SourcePos& p) {
    const std::string& f = p.file();
    std::uint32_t file = 0;
    if (!f.empty()) {
      auto it = file_numbers_.find(&f);
      if (it == file_numbers_.end()) {
        files_.push_back(f);
        it = file_numbers_.emplace(&f, static_cast<std::uint32_t>(files_.size())).first;
      }
      file = it->second;
    }
    return fb::Pos(file, p.line, p.column);
  }
  static fb::Date date(const Date& d) {
    return fb::Date(d.year, static_cast<std::uint8_t>(d.month), static_cast<std::uint8_t>(d.day),
                    static_cast<std::uint8_t>(d.precision));
  }
  flatbuffers::Offset<fb::Ref> ref(const Ref& r) {
    auto id = str(r.id);
    fb::Pos p = pos(r.pos);
    return fb::CreateRef(b_, id, r.index, &p);
  }
  flatbuffers::Offset<fb::Ref> ref(const std::optional<Ref>& r) { return r ? ref(*r) : 0; }
  flatbuffers::Offset<fb::RefList> refs(const Refs& rs) {
    if (rs.empty()) return 0;
    std::vector<flatbuffers::Offset<flatbuffers::String>> ids;
    std::vector<std::uint32_t> indices;
    std::vector<fb::Pos> positions;
    for (const Ref& r : rs) {
      ids.push_back(str(r.id));
      indices.push_back(r.index);
      positions.push_back(pos(r.pos));
    }
    auto i = b_.CreateVector(ids);
    auto x = b_.CreateVector(indices);
    auto p = b_.CreateVectorOfStructs(positions);
    return fb::CreateRefList(b_, i, x, p);
  }
  flatbuffers::Offset<fb::Entity> entity(const Entity& e) {
    std::vector<flatbuffers::Offset<fb::Citation>> cites;
    for (const Citation& c : e.sources) {
      auto s = str(c.source);
      auto at = str(c.at);
      fb::Pos p = pos(c.pos);
      cites.push_back(fb::CreateCitation(b_, s, at, c.source_index, &p));
    }
    auto id = str(e.id), name = str(e.name), name_en = str(e.name_en), note = str(e.note);
    auto sources = cites.empty() ? 0 : b_.CreateVector(cites);
    fb::Date since = e.since ? date(*e.since) : fb::Date(), until = e.until ? date(*e.until) : fb::Date();
    fb::Pos p = pos(e.pos);
    return fb::CreateEntity(b_, id, name, name_en, note, sources, e.since ? &since : nullptr,
                            e.until ? &until : nullptr, static_cast<std::uint8_t>(e.status), &p);
  }
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> files() {
    std::vector<flatbuffers::Offset<flatbuffers::String>> out;
    for (const std::string& f : files_) out.push_back(b_.CreateString(f));
    return b_.CreateVector(out);
  }

 private:
  flatbuffers::FlatBufferBuilder& b_;
  std::vector<std::string> files_;
  std::unordered_map<const std::string*, std::uint32_t> file_numbers_;
  std::unordered_map<std::string, flatbuffers::Offset<flatbuffers::String>> strings_;
};

template <typename T, typename F>
auto table_vector(flatbuffers::FlatBufferBuilder& b, const std::vector<T>& items, F make) {
  using Offset = decltype(make(items.front()));
  std::vector<Offset> out;
  out.reserve(items.size());
  for (const T& item : items) out.push_back(make(item));
  return b.CreateVector(out);
}

std::uint8_t u8(int v) { return static_cast<std::uint8_t>(v); }

// ---------------------------------------------------------------- reading

// Thrown by Reader when a verified buffer still says something a model
// cannot (an index out of range, an enum value no enum has).
struct Bad {
  std::string what;
};

class Reader {
 public:
  Reader(const fb::Snapshot& s, const std::array<std::size_t, kEntityKindCount>& counts) : counts_(counts) {
    if (s.files())
      for (const auto* f : *s.files()) files_.emplace_back(f ? f->str() : std::string(), 0, 0);
  }

  static std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }
  SourcePos pos(const fb::Pos* p) const {
    if (!p || p->file() == 0) return p ? SourcePos().at(p->line(), p->column()) : SourcePos();
    if (p->file() > files_.size()) throw Bad{"a position names no file"};
    return files_[p->file() - 1].at(p->line(), p->column());
  }
  static std::optional<Date> date(const fb::Date* d) {
    if (!d) return std::nullopt;
    if (d->precision() > 2) throw Bad{"a date has no precision"};
    Date out;
    out.year = d->year();
    out.month = d->month();
    out.day = d->day();
    out.precision = static_cast<Date::Precision>(d->precision());
    // Only a date the loader can have read (docs/model-format.md, dates):
    // a year of four digits, and a month and day that exist. Anything else
    // would overflow Date::key().
    if (!out.valid()) throw Bad{"a date is out of range"};
    return out;
  }
  Index index(std::uint32_t i, EntityKind kind) const {
    if (i != kNone && i >= counts_[static_cast<std::size_t>(kind)]) throw Bad{"an index is out of range"};
    return i;
  }
  template <typename E>
  static E enumeration(std::uint8_t v, E last) {
    if (v > static_cast<std::uint8_t>(last)) throw Bad{"an enum value is out of range"};
    return static_cast<E>(v);
  }
  Ref ref(const fb::Ref& r, EntityKind kind) const {
    return Ref{str(r.id()), index(r.index(), kind), pos(r.pos())};
  }
  std::optional<Ref> ref(const fb::Ref* r, EntityKind kind) const {
    if (!r) return std::nullopt;
    return ref(*r, kind);
  }
  Refs refs(const fb::RefList* list, EntityKind kind) const {
    Refs out;
    if (!list) return out;
    const auto* ids = list->ids();
    const auto* indices = list->indices();
    const auto* positions = list->pos();
    if (!ids || !indices || !positions || ids->size() != indices->size() || ids->size() != positions->size())
      throw Bad{"a reference list is inconsistent"};
    out.reserve(ids->size());
    for (flatbuffers::uoffset_t i = 0; i < ids->size(); ++i)
      out.push_back(Ref{str(ids->Get(i)), index(indices->Get(i), kind), pos(positions->Get(i))});
    return out;
  }
  void entity(const fb::Entity* e, Entity& out) const {
    if (!e) throw Bad{"an entity has no fields"};
    out.id = str(e->id());
    out.name = str(e->name());
    out.name_en = str(e->name_en());
    out.note = str(e->note());
    if (e->sources()) {
      out.sources.reserve(e->sources()->size());
      for (const fb::Citation* c : *e->sources())
        out.sources.push_back(Citation{str(c->source()), str(c->at()),
                                       index(c->source_index(), EntityKind::source), pos(c->pos())});
    }
    out.since = date(e->since());
    out.until = date(e->until());
    out.status = enumeration(e->status(), Status::abolished);
    out.pos = pos(e->pos());
  }
  template <typename T, typename FbT, typename F>
  void kind(const flatbuffers::Vector<flatbuffers::Offset<FbT>>* in, std::vector<T>& out, F fill) const {
    if (!in) return;
    out.resize(in->size());
    for (flatbuffers::uoffset_t i = 0; i < in->size(); ++i) {
      entity(in->Get(i)->base(), out[i]);
      fill(*in->Get(i), out[i]);
    }
  }
  DatedRefs dated(const flatbuffers::Vector<flatbuffers::Offset<fb::DatedRef>>* in, EntityKind kind) const {
    DatedRefs out;
    if (!in) return out;
    for (const fb::DatedRef* d : *in) {
      if (!d->ref()) throw Bad{"a dated reference has no reference"};
      out.push_back(DatedRef{ref(*d->ref(), kind), date(d->since()), date(d->until())});
    }
    return out;
  }

 private:
  std::array<std::size_t, kEntityKindCount> counts_;
  std::vector<SourcePos> files_;
};

template <typename V>
std::size_t size_of(const V* v) {
  return v ? v->size() : 0;
}

std::uint64_t checksum(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

// The build-id the linker gave the running executable (empty when it has
// none): any rebuild changes it, so a snapshot never outlives the code that
// wrote it, even between versions.
std::string build_id() {
  std::string out;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        auto& id = *static_cast<std::string*>(data);
        for (int i = 0; i < info->dlpi_phnum && id.empty(); ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
          const char* end = p + ph.p_memsz;
          while (p + sizeof(ElfW(Nhdr)) <= end) {
            ElfW(Nhdr) note;
            std::memcpy(&note, p, sizeof note);
            const char* name = p + sizeof note;
            const char* desc = name + ((note.n_namesz + 3) & ~3u);
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
              static const char kHex[] = "0123456789abcdef";
              for (ElfW(Word) k = 0; k < note.n_descsz; ++k) {
                const unsigned char c = static_cast<unsigned char>(desc[k]);
                id += kHex[c >> 4];
                id += kHex[c & 15];
              }
              break;
            }
            p = desc + ((note.n_descsz + 3) & ~3u);
          }
        }
        return 1;  // the first object is the executable itself
      },
      &out);
  return out;
}

SnapshotRead read_snapshot_impl(std::string_view bytes, const SnapshotKey* key);

}  // namespace

std::string snapshot_tool_identity() {
  static const std::string identity = std::string("imozuru ") + IMOZURU_VERSION + " snapshot " +
                                      std::to_string(kSnapshotFormat) + " build " + build_id();
  return identity;
}

std::string write_snapshot(const Model& m, const Diagnostics& diagnostics, const SnapshotKey& key) {
  flatbuffers::FlatBufferBuilder b(1 << 20);
  Writer w(b);
  auto sources = table_vector(b, m.sources, [&](const Source& e) {
    auto base = w.entity(e);
    auto title = w.str(e.title), author = w.str(e.author), date = w.str(e.date), url = w.str(e.url),
         publisher = w.str(e.publisher);
    return fb::CreateSource(b, base, title, author, date, url, publisher);
  });
  auto actors = table_vector(b, m.actors, [&](const Actor& e) {
    auto base = w.entity(e);
    auto parent = w.ref(e.parent);
    return fb::CreateActor(b, base, u8(static_cast<int>(e.kind)), parent);
  });
  auto laws = table_vector(b, m.laws, [&](const Law& e) {
    auto base = w.entity(e);
    auto article = w.str(e.article);
    auto parent = w.ref(e.parent);
    fb::Date enacted = e.enacted ? Writer::date(*e.enacted) : fb::Date();
    return fb::CreateLaw(b, base, u8(static_cast<int>(e.kind)), article, parent,
                         e.enacted ? &enacted : nullptr);
  });
  auto identifiers = table_vector(b, m.identifiers, [&](const Identifier& e) {
    auto base = w.entity(e);
    auto issuer = w.ref(e.issuer);
    auto regulated_by = w.refs(e.regulated_by), composed_of = w.refs(e.composed_of);
    flatbuffers::Optional<double> match_error = flatbuffers::nullopt;
    if (e.match_error) match_error = *e.match_error;
    return fb::CreateIdentifier(b, base, u8(static_cast<int>(e.kind)), issuer, e.visible, e.universal,
                                e.unique, u8(static_cast<int>(e.scope)), regulated_by, composed_of,
                                match_error);
  });
  auto data = table_vector(b, m.data, [&](const DataItem& e) {
    auto base = w.entity(e);
    auto category = w.str(e.category);
    return fb::CreateDataItem(b, base, category, u8(static_cast<int>(e.sensitivity)));
  });
  auto systems = table_vector(b, m.systems, [&](const System& e) {
    auto base = w.entity(e);
    auto sector = w.str(e.sector);
    auto operator_ = w.ref(e.operator_);
    auto ids = w.refs(e.holds.identifiers), held = w.refs(e.holds.data), applies = w.refs(e.applies_to);
    return fb::CreateSystem(b, base, sector, u8(static_cast<int>(e.kind)), operator_, ids, held, applies);
  });
  auto flows = table_vector(b, m.flows, [&](const Flow& e) {
    auto base = w.entity(e);
    auto from = w.ref(e.from), to = w.ref(e.to);
    auto ids = w.refs(e.carries.identifiers), carried = w.refs(e.carries.data);
    auto key_ref = w.ref(e.key);
    auto basis = w.refs(e.basis);
    auto mode = w.str(e.mode), purpose = w.str(e.purpose);
    auto applies = w.refs(e.applies_to);
    auto act = w.ref(e.consent_act);
    return fb::CreateFlow(b, base, from, to, ids, carried, key_ref, basis, u8(static_cast<int>(e.consent)),
                          mode, purpose, applies, act);
  });
  auto groups = table_vector(b, m.groups, [&](const Group& e) { return fb::CreateGroup(b, w.entity(e)); });
  auto acts = table_vector(b, m.consent_acts, [&](const ConsentAct& e) {
    auto base = w.entity(e);
    return fb::CreateConsentAct(b, base, u8(static_cast<int>(e.kind)));
  });
  auto dated = [&](const DatedRefs& refs) {
    std::vector<flatbuffers::Offset<fb::DatedRef>> out;
    for (const DatedRef& d : refs) {
      auto r = w.ref(d.ref);
      fb::Date since = d.since ? Writer::date(*d.since) : fb::Date(),
               until = d.until ? Writer::date(*d.until) : fb::Date();
      out.push_back(fb::CreateDatedRef(b, r, d.since ? &since : nullptr, d.until ? &until : nullptr));
    }
    return b.CreateVector(out);
  };
  auto persons = table_vector(b, m.persons, [&](const Person& e) {
    auto base = w.entity(e);
    auto g = dated(e.groups), a = dated(e.acts);
    return fb::CreatePerson(b, base, g, a);
  });
  auto assessments = table_vector(b, m.assessments, [&](const Assessment& e) {
    auto base = w.entity(e);
    auto gap = w.str(e.gap), justification = w.str(e.justification), by = w.str(e.by);
    auto laws_ref = w.refs(e.laws);
    return fb::CreateAssessment(b, base, gap, u8(static_cast<int>(e.gap_kind)), e.gap_entity,
                                u8(static_cast<int>(e.decision)), justification, laws_ref, by);
  });
  flatbuffers::Offset<fb::ModelInfo> info = 0;
  if (m.info) {
    auto name = w.str(m.info->name), name_en = w.str(m.info->name_en),
         description = w.str(m.info->description);
    fb::Pos p = w.pos(m.info->pos);
    info = fb::CreateModelInfo(b, name, name_en, description, u8(static_cast<int>(m.info->default_lang)), &p);
  }
  auto diags = table_vector(b, diagnostics.all(), [&](const Diagnostic& d) {
    auto message = w.str(d.message), line = w.str(d.source_line);
    fb::Pos p = w.pos(d.pos);
    return fb::CreateDiagnostic(b, u8(static_cast<int>(d.severity)), &p, message, line);
  });
  auto tool = b.CreateString(snapshot_tool_identity());
  auto key_bytes = b.CreateVector(key.data(), key.size());
  auto files = w.files();
  b.Finish(fb::CreateSnapshot(b, kSnapshotFormat, tool, key_bytes, files, info, sources, actors, laws,
                              identifiers, data, systems, flows, groups, acts, persons, assessments, diags,
                              diagnostics.error_count(), diagnostics.warning_count()),
           fb::SnapshotIdentifier());
  std::string_view body(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  std::string out(kMagic, sizeof kMagic);
  const std::uint64_t sum = checksum(body);
  for (int i = 0; i < 8; ++i) out += static_cast<char>((sum >> (8 * i)) & 0xff);
  out.append(body);
  return out;
}

SnapshotRead read_snapshot(std::string_view bytes, const SnapshotKey& key) {
  return read_snapshot_impl(bytes, &key);
}

SnapshotRead read_snapshot_any_key(std::string_view bytes) { return read_snapshot_impl(bytes, nullptr); }

namespace {

SnapshotRead read_snapshot_impl(std::string_view bytes, const SnapshotKey* key) {
  SnapshotRead out;
  if (bytes.size() < kHeader || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    out.problem = bytes.size() < kHeader ? SnapshotProblem::truncated : SnapshotProblem::not_a_snapshot;
    return out;
  }
  std::uint64_t sum = 0;
  for (int i = 0; i < 8; ++i) sum |= std::uint64_t(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  std::string_view body = bytes.substr(kHeader);
  if (checksum(body) != sum) {
    out.problem = SnapshotProblem::checksum;
    return out;
  }
  // FlatBuffers reads unaligned scalars only through its own accessors, but
  // the verifier wants the buffer aligned as the builder made it.
  std::string aligned_copy;
  const std::uint8_t* data = reinterpret_cast<const std::uint8_t*>(body.data());
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) != 0) {
    aligned_copy.assign(body);
    data = reinterpret_cast<const std::uint8_t*>(aligned_copy.data());
  }
  flatbuffers::Verifier verifier(data, body.size(),
                                 flatbuffers::Verifier::Options{64, 100'000'000, true, true});
  if (!fb::SnapshotBufferHasIdentifier(data) || !fb::VerifySnapshotBuffer(verifier)) {
    out.problem = SnapshotProblem::corrupt;
    out.detail = "the FlatBuffers verifier refused it";
    return out;
  }
  const fb::Snapshot& s = *fb::GetSnapshot(data);
  if (s.format() != kSnapshotFormat || !s.tool() || s.tool()->str() != snapshot_tool_identity()) {
    out.problem = SnapshotProblem::other_build;
    return out;
  }
  if (key && (!s.key() || s.key()->size() != key->size() ||
              std::memcmp(s.key()->data(), key->data(), key->size()) != 0)) {
    out.problem = SnapshotProblem::stale;
    return out;
  }
  if (s.error_count() != 0) {
    out.problem = SnapshotProblem::corrupt;
    out.detail = "it counts errors";
    return out;
  }
  std::array<std::size_t, kEntityKindCount> counts{};
  auto count = [&](EntityKind k, std::size_t n) { counts[static_cast<std::size_t>(k)] = n; };
  count(EntityKind::source, size_of(s.sources()));
  count(EntityKind::actor, size_of(s.actors()));
  count(EntityKind::law, size_of(s.laws()));
  count(EntityKind::identifier, size_of(s.identifiers()));
  count(EntityKind::data, size_of(s.data()));
  count(EntityKind::system, size_of(s.systems()));
  count(EntityKind::flow, size_of(s.flows()));
  count(EntityKind::group, size_of(s.groups()));
  count(EntityKind::consent_act, size_of(s.consent_acts()));
  count(EntityKind::person, size_of(s.persons()));
  count(EntityKind::assessment, size_of(s.assessments()));
  try {
    Reader r(s, counts);
    Model m;
    r.kind(s.sources(), m.sources, [&](const fb::Source& in, Source& e) {
      e.title = Reader::str(in.title());
      e.author = Reader::str(in.author());
      e.date = Reader::str(in.date());
      e.url = Reader::str(in.url());
      e.publisher = Reader::str(in.publisher());
    });
    r.kind(s.actors(), m.actors, [&](const fb::Actor& in, Actor& e) {
      e.kind = Reader::enumeration(in.kind(), ActorKind::group);
      e.parent = r.ref(in.parent(), EntityKind::actor);
    });
    r.kind(s.laws(), m.laws, [&](const fb::Law& in, Law& e) {
      e.kind = Reader::enumeration(in.kind(), LawKind::judgment);
      e.article = Reader::str(in.article());
      e.parent = r.ref(in.parent(), EntityKind::law);
      e.enacted = Reader::date(in.enacted());
    });
    r.kind(s.identifiers(), m.identifiers, [&](const fb::Identifier& in, Identifier& e) {
      e.kind = Reader::enumeration(in.kind(), IdentifierKind::quasi);
      e.issuer = r.ref(in.issuer(), EntityKind::system);
      e.visible = in.visible();
      e.universal = in.universal();
      e.unique = in.unique();
      e.scope = Reader::enumeration(in.scope(), Scope::holder);
      e.regulated_by = r.refs(in.regulated_by(), EntityKind::law);
      e.composed_of = r.refs(in.composed_of(), EntityKind::data);
      if (in.match_error()) e.match_error = *in.match_error();
    });
    r.kind(s.data(), m.data, [&](const fb::DataItem& in, DataItem& e) {
      e.category = Reader::str(in.category());
      e.sensitivity = Reader::enumeration(in.sensitivity(), Sensitivity::normal);
    });
    r.kind(s.systems(), m.systems, [&](const fb::System& in, System& e) {
      e.sector = Reader::str(in.sector());
      e.kind = Reader::enumeration(in.kind(), SystemKind::actor);
      e.operator_ = r.ref(in.operator_(), EntityKind::actor);
      e.holds.identifiers = r.refs(in.holds_identifiers(), EntityKind::identifier);
      e.holds.data = r.refs(in.holds_data(), EntityKind::data);
      e.applies_to = r.refs(in.applies_to(), EntityKind::group);
    });
    r.kind(s.flows(), m.flows, [&](const fb::Flow& in, Flow& e) {
      if (!in.from() || !in.to()) throw Bad{"a flow has no ends"};
      e.from = r.ref(*in.from(), EntityKind::system);
      e.to = r.ref(*in.to(), EntityKind::system);
      e.carries.identifiers = r.refs(in.carries_identifiers(), EntityKind::identifier);
      e.carries.data = r.refs(in.carries_data(), EntityKind::data);
      e.key = r.ref(in.key(), EntityKind::identifier);
      e.basis = r.refs(in.basis(), EntityKind::law);
      e.consent = Reader::enumeration(in.consent(), Consent::comprehensive);
      e.mode = Reader::str(in.mode());
      e.purpose = Reader::str(in.purpose());
      e.applies_to = r.refs(in.applies_to(), EntityKind::group);
      e.consent_act = r.ref(in.consent_act(), EntityKind::consent_act);
    });
    r.kind(s.groups(), m.groups, [](const fb::Group&, Group&) {});
    r.kind(s.consent_acts(), m.consent_acts, [&](const fb::ConsentAct& in, ConsentAct& e) {
      e.kind = Reader::enumeration(in.kind(), ActKind::opt_out);
    });
    r.kind(s.persons(), m.persons, [&](const fb::Person& in, Person& e) {
      e.groups = r.dated(in.groups(), EntityKind::group);
      e.acts = r.dated(in.acts(), EntityKind::consent_act);
    });
    r.kind(s.assessments(), m.assessments, [&](const fb::Assessment& in, Assessment& e) {
      e.gap = Reader::str(in.gap());
      e.gap_kind = Reader::enumeration(in.gap_kind(), EntityKind::assessment);
      e.gap_entity = r.index(in.gap_entity(), e.gap_kind);
      e.decision = Reader::enumeration(in.decision(), AssessmentStatus::disputed);
      e.justification = Reader::str(in.justification());
      e.laws = r.refs(in.laws(), EntityKind::law);
      e.by = Reader::str(in.by());
    });
    if (const fb::ModelInfo* info = s.info()) {
      ModelInfo mi;
      mi.name = Reader::str(info->name());
      mi.name_en = Reader::str(info->name_en());
      mi.description = Reader::str(info->description());
      mi.default_lang = Reader::enumeration(info->default_lang(), Lang::en);
      mi.pos = r.pos(info->pos());
      m.info = std::move(mi);
    }
    // The kept warnings in the order they were found, then the count of
    // those beyond the cap, as Diagnostics keeps them.
    std::size_t kept_warnings = 0;
    if (s.diagnostics())
      for (const fb::Diagnostic* d : *s.diagnostics()) {
        if (d->severity() != static_cast<std::uint8_t>(Severity::warning))
          throw Bad{"a snapshot keeps an error"};
        out.diagnostics.add(Diagnostic{Severity::warning, r.pos(d->pos()), Reader::str(d->message()),
                                       Reader::str(d->source_line())});
        ++kept_warnings;
      }
    // Warnings beyond the cap are only counted: adding them keeps none
    // (when one would be kept, the kept ones were not up to the cap).
    if (s.warning_count() < kept_warnings || s.warning_count() > 10'000'000) throw Bad{"a count is wrong"};
    for (std::uint64_t i = kept_warnings; i < s.warning_count(); ++i) {
      out.diagnostics.add(Diagnostic{Severity::warning, SourcePos(), std::string(), std::string()});
      if (out.diagnostics.all().size() != kept_warnings) throw Bad{"a count is wrong"};
    }
    m.build_index();
    out.model = std::move(m);
  } catch (const Bad& bad) {
    out.problem = SnapshotProblem::corrupt;
    out.detail = bad.what;
    out.diagnostics = Diagnostics();
  }
  return out;
}

}  // namespace

}  // namespace imozuru
