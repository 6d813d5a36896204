// A law's label (docs/model-format.md, `article`): the article is shown after
// the name unless the name already says it.
#include "output/legal_text.h"

#include <catch2/catch.hpp>
#include <string>

#include "model/model.h"

using namespace imozuru;

namespace {

Law law(const char* name, const char* name_en, const char* article) {
  Law l;
  l.id = "l";
  l.name = name;
  l.name_en = name_en;
  l.article = article;
  return l;
}

}  // namespace

TEST_CASE("law_label shows the article once", "[output][laws]") {
  Model m;
  // The name ends with the article, before its remark: not repeated.
  CHECK(law_label(m, law("番号法 第16条（本人確認の措置）", "", "16条"), Lang::ja) ==
        "番号法 第16条（本人確認の措置）");
  // A name without it: the article follows.
  CHECK(law_label(m, law("番号法", "My Number Act", "19条8号"), Lang::ja) == "番号法 19条8号");
  CHECK(law_label(m, law("番号法", "My Number Act", "19条8号"), Lang::en) == "My Number Act 19条8号");
  // An English name that ends with the article's number says it already.
  CHECK(law_label(m,
                  law("番号法 第19条（提供の制限）",
                      "My Number Act, Art. 19 (provision only in the listed cases)", "19条各号"),
                  Lang::en) == "My Number Act, Art. 19 (provision only in the listed cases)");
  CHECK(law_label(m,
                  law("番号法 第19条（提供の制限）",
                      "My Number Act, Art. 19 (provision only in the listed cases)", "19条各号"),
                  Lang::ja) == "番号法 第19条（提供の制限） 19条各号");
  // A number inside a longer one is not the article: "Act 2019" does not end with "19".
  CHECK(law_label(m, law("法", "Act 2019", "19条"), Lang::en) == "Act 2019 19条");
}
