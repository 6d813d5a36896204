#!/usr/bin/env python3
"""Generate a large, realistic imozuru model for benchmarks.

Deterministic for a given --seed. Writes several files into OUT_DIR (a model
directory), shaped like a national ecosystem: municipalities and ministries,
a national number held widely, sectoral numbers, holder-scope link codes,
quasi identifiers (name + address + birth date ...), special data, consent
modes, dates (some ended, some planned) and citations on every entity.

    python3 bench/generate_model.py OUT_DIR [--systems 100000] [--flows 100000] [--seed 1]
"""
import argparse
import os
import random

SECTORS = ["identity", "portal", "tax", "social_security", "health", "children", "education",
           "immigration", "police", "finance", "local_government", "private", "pension", "welfare"]
SYSTEM_KINDS = ["database"] * 6 + ["registry", "portal", "network", "hub", "card", "app"]
ID_KINDS = ["sectoral", "token", "credential", "card", "account", "service", "local"]
CONSENTS = ["none"] * 5 + ["notice"] * 2 + ["opt_out", "opt_in", "card", "comprehensive"]
MODES = ["push", "pull", "batch", "realtime", "api"]
CATEGORIES = ["health", "tax", "income", "benefit", "family", "location", "immigration", "education",
              "biometric", "licence", "account", "identity"]
GROUPS = [("grp_card", "カード保有者", "Card holders"), ("grp_foreign", "外国人住民", "Foreign residents"),
          ("grp_children", "子ども", "Children")]
ACTOR_KINDS = ["government", "local_government", "public_body", "private", "group"]
PREFECTURES = ["北海道", "青森", "岩手", "宮城", "秋田", "山形", "福島", "茨城", "栃木", "群馬", "埼玉", "千葉",
               "東京", "神奈川", "新潟", "富山", "石川", "福井", "山梨", "長野", "岐阜", "静岡", "愛知", "三重",
               "滋賀", "京都", "大阪", "兵庫", "奈良", "和歌山", "鳥取", "島根", "岡山", "広島", "山口", "徳島",
               "香川", "愛媛", "高知", "福岡", "佐賀", "長崎", "熊本", "大分", "宮崎", "鹿児島", "沖縄"]
SECTOR_JA = {"identity": "本人確認", "portal": "ポータル", "tax": "税務", "social_security": "社会保障",
             "health": "医療", "children": "子ども", "education": "教育", "immigration": "出入国",
             "police": "警察", "finance": "金融", "local_government": "自治体", "private": "民間",
             "pension": "年金", "welfare": "福祉"}
# The 基本4情報 every quasi identifier draws from.
BASIC_DATA = [("name", "氏名", "identity"), ("address", "住所", "location"),
              ("birth_date", "生年月日", "identity"), ("sex", "性別", "identity"),
              ("phone", "電話番号", "identity"), ("email", "メールアドレス", "identity")]


def q(text):
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow_list(items):
    return "[" + ", ".join(items) + "]"


def date(rng, lo=1990, hi=2024):
    y = rng.randint(lo, hi)
    r = rng.random()
    if r < 0.3:
        return str(y)
    if r < 0.6:
        return "%d-%02d" % (y, rng.randint(1, 12))
    return "%d-%02d-%02d" % (y, rng.randint(1, 12), rng.randint(1, 28))


def citation(rng, sources):
    s = rng.choice(sources)
    if rng.random() < 0.3:
        return "{source: %s, at: %s}" % (s, q("p. %d" % rng.randint(1, 300)))
    return s


def dates_and_status(rng, out, planned_share=0.04, ended_share=0.05):
    """Appends since/until/status lines; returns nothing."""
    r = rng.random()
    if r < planned_share:
        out.append("    status: %s" % rng.choice(["planned", "proposed"]))
        out.append("    since: %d" % rng.randint(2026, 2030))
        return
    if rng.random() < 0.7:
        since = date(rng)
        out.append("    since: %s" % since)
        if r < planned_share + ended_share:
            until_year = int(since[:4]) + rng.randint(1, 10)
            out.append("    until: %d" % until_year)
            if rng.random() < 0.5:
                out.append("    status: abolished")
    elif r > 0.97:
        out.append("    status: pilot")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--systems", type=int, default=100_000)
    ap.add_argument("--flows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files", type=int, default=4, help="files each for systems and flows")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    # Groups and persons draw from their own stream, so the rest of the model
    # is the same as before they were added.
    rng_groups = random.Random(args.seed + 1_000_003)
    os.makedirs(args.out_dir, exist_ok=True)

    n_sys, n_flows = args.systems, args.flows
    n_sources = max(10, n_sys // 500)
    n_actors = max(20, n_sys // 50)
    n_laws = max(10, n_sys // 300)
    n_ids = max(20, n_sys // 20)
    n_data = max(30, n_sys // 40)

    sources = ["src_%04d" % i for i in range(n_sources)]
    actors = ["actor_%05d" % i for i in range(n_actors)]
    laws = ["law_%04d" % i for i in range(n_laws)]
    data = [d[0] for d in BASIC_DATA] + ["data_%05d" % i for i in range(n_data)]
    special_data = set()
    systems = ["sys_%06d" % i for i in range(n_sys)]

    # --- model, sources, actors, laws ---
    out = ["model:", "  name: 生成モデル (seed %d)" % args.seed,
           "  description: %s" % q("generated by bench/generate_model.py"), "  default_lang: ja", "", "sources:"]
    for s in sources:
        out += ["  - id: %s" % s, "    title: %s" % q("資料 %s" % s[4:]), "    author: デジタル庁",
                "    date: %s" % q(date(rng, 2010, 2024)), "    url: https://example.jp/%s.pdf" % s]
    out += ["", "actors:"]
    for i, a in enumerate(actors):
        kind = "local_government" if i % 3 else rng.choice(ACTOR_KINDS)
        pref = PREFECTURES[i % len(PREFECTURES)]
        out += ["  - id: %s" % a, "    name: %s%d号組織" % (pref, i), "    name_en: Actor %d" % i,
                "    kind: %s" % kind, "    sources: [%s]" % citation(rng, sources)]
        if i >= 47 and rng.random() < 0.5:
            out.append("    parent: %s" % actors[rng.randrange(47)])
    out += ["", "laws:"]
    for i, law in enumerate(laws):
        out += ["  - id: %s" % law, "    name: 法律%d号第%d条" % (i, rng.randint(1, 99)),
                "    article: %s" % q(str(rng.randint(1, 99))), "    sources: [%s]" % citation(rng, sources)]
        dates_and_status(rng, out, planned_share=0.02, ended_share=0.08)
    # --- groups and persons (docs/model-format.md, "Persons and consent acts") ---
    out += ["", "groups:"]
    for g, ja, en in GROUPS:
        out += ["  - id: %s" % g, "    name: %s" % ja, "    name_en: %s" % en, "    sources: [%s]" % sources[0]]
    out += ["", "persons:",
            "  - id: p_card_holder", "    name: カード保有者", "    name_en: Card holder",
            "    groups: [{group: grp_card, since: \"2016-01\"}]", "    sources: [%s]" % sources[0],
            "  - id: p_foreign_child", "    name: 外国籍の子ども", "    name_en: Foreign child",
            "    groups: [{group: grp_foreign}, {group: grp_children}]", "    sources: [%s]" % sources[0],
            "  - id: p_no_group", "    name: どの集団にも属さない人", "    name_en: Person in no group",
            "    sources: [%s]" % sources[0]]
    with open(os.path.join(args.out_dir, "model.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")

    # --- data and identifiers ---
    out = ["data:"]
    for d, ja, cat in BASIC_DATA:
        out += ["  - id: %s" % d, "    name: %s" % ja, "    category: %s" % cat,
                "    sources: [%s]" % citation(rng, sources)]
    for d in data[len(BASIC_DATA):]:
        r = rng.random()
        sens = "special" if r < 0.1 else "high" if r < 0.3 else None
        if sens == "special":
            special_data.add(d)
        out += ["  - id: %s" % d, "    name: データ%s" % d[5:], "    category: %s" % rng.choice(CATEGORIES),
                "    sources: [%s]" % citation(rng, sources)]
        if sens:
            out.append("    sensitivity: %s" % sens)
        dates_and_status(rng, out, planned_share=0.01, ended_share=0.02)

    identifiers = ["my_number", "basic4", "basic3"]
    out += ["", "identifiers:",
            "  - id: my_number", "    name: 個人番号", "    name_en: My Number", "    kind: national",
            "    issuer: %s" % systems[0], "    visible: true", "    universal: true", "    unique: true",
            "    regulated_by: [%s]" % laws[0], "    since: 2015-10-05", "    sources: [%s]" % sources[0],
            "  - id: basic4", "    name: 基本4情報", "    kind: quasi",
            "    composed_of: [name, address, birth_date, sex]", "    match_error: 0.01",
            "    sources: [%s]" % sources[0],
            "  - id: basic3", "    name: 氏名・生年月日・電話番号", "    kind: quasi",
            "    composed_of: [name, birth_date, phone]", "    match_error: 0.05", "    sources: [%s]" % sources[0]]
    for i in range(n_ids):
        ident = "id_%05d" % i
        identifiers.append(ident)
        kind = "quasi" if rng.random() < 0.02 else rng.choice(ID_KINDS)
        out += ["  - id: %s" % ident, "    name: 番号%d" % i, "    kind: %s" % kind,
                "    sources: [%s]" % citation(rng, sources)]
        if kind == "quasi":
            parts = rng.sample([d[0] for d in BASIC_DATA], 3)
            out += ["    composed_of: %s" % flow_list(parts), "    match_error: %.3f" % rng.uniform(0.001, 0.2)]
        else:
            if rng.random() < 0.12:
                out.append("    scope: holder")
            if rng.random() < 0.3:
                out.append("    visible: true")
            if rng.random() < 0.2:
                out += ["    universal: true", "    unique: true"]
            if rng.random() < 0.5:
                out.append("    regulated_by: %s" % flow_list(rng.sample(laws, rng.randint(1, 2))))
            if rng.random() < 0.5:
                out.append("    issuer: %s" % rng.choice(systems))
        dates_and_status(rng, out, planned_share=0.02, ended_share=0.03)
    with open(os.path.join(args.out_dir, "identifiers_and_data.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")

    # --- systems: each holds a few identifiers (often My Number) and data ---
    plain_ids = identifiers[3:]
    holds = {}
    per_file = (n_sys + args.files - 1) // args.files
    for k in range(args.files):
        out = ["systems:"]
        for i in range(k * per_file, min(n_sys, (k + 1) * per_file)):
            s = systems[i]
            sector = SECTORS[i % len(SECTORS)] if rng.random() < 0.8 else rng.choice(SECTORS)
            ids = rng.sample(plain_ids, rng.randint(1, 3))
            if rng.random() < 0.35:
                ids.insert(0, "my_number")
            ds = rng.sample(data[len(BASIC_DATA):], rng.randint(1, 6))
            if rng.random() < 0.6:
                ds = [d[0] for d in BASIC_DATA[:4]] + ds
            holds[s] = ids
            pref = PREFECTURES[i % len(PREFECTURES)]
            out += ["  - id: %s" % s, "    name: %s%sシステム%d" % (pref, SECTOR_JA[sector], i),
                    "    name_en: %s system %d" % (sector, i), "    sector: %s" % sector,
                    "    kind: %s" % rng.choice(SYSTEM_KINDS), "    operator: %s" % rng.choice(actors),
                    "    holds:", "      identifiers: %s" % flow_list(ids), "      data: %s" % flow_list(ds),
                    "    sources: [%s]" % citation(rng, sources)]
            dates_and_status(rng, out)
            if rng.random() < 0.1:
                out.append("    note: %s" % q("運用は%s年度から" % rng.randint(2000, 2024)))
            if rng_groups.random() < 0.2:  # a fifth of the systems keep records of one group only
                out.append("    applies_to: [%s]" % rng_groups.choice(GROUPS)[0])
        with open(os.path.join(args.out_dir, "systems_%02d.yaml" % k), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")

    # --- flows: mostly within a neighbourhood of systems, carrying what the sender holds ---
    per_file = (n_flows + args.files - 1) // args.files
    for k in range(args.files):
        out = ["flows:"]
        for i in range(k * per_file, min(n_flows, (k + 1) * per_file)):
            a = rng.randrange(n_sys)
            b = (a + rng.randint(1, 200)) % n_sys if rng.random() < 0.8 else rng.randrange(n_sys)
            if b == a:  # a flow from a system to itself is an error (docs/model-format.md)
                b = (a + 1) % n_sys
            src, dst = systems[a], systems[b]
            ids = rng.sample(holds[src], rng.randint(1, len(holds[src])))
            ds = rng.sample(data[len(BASIC_DATA):], rng.randint(0, 3))
            out += ["  - id: flow_%06d" % i, "    name: 連携%d" % i, "    from: %s" % src, "    to: %s" % dst,
                    "    carries: {identifiers: %s, data: %s}" % (flow_list(ids), flow_list(ds)),
                    "    consent: %s" % rng.choice(CONSENTS), "    mode: %s" % rng.choice(MODES),
                    "    sources: [%s]" % citation(rng, sources)]
            if rng.random() < 0.7:
                out.append("    key: %s" % ids[0])
            if rng.random() < 0.6:
                out.append("    basis: %s" % flow_list(rng.sample(laws, rng.randint(1, 2))))
            if rng.random() < 0.3:
                out.append("    purpose: %s" % q("%sのための照会" % SECTOR_JA[rng.choice(SECTORS)]))
            dates_and_status(rng, out)
            if rng_groups.random() < 0.05:
                out.append("    applies_to: [%s]" % rng_groups.choice(GROUPS)[0])
        with open(os.path.join(args.out_dir, "flows_%02d.yaml" % k), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
