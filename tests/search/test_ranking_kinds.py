"""Search quality by kind of question (issue 12): each test is one kind of failure that officers'
questions showed, checked on the pure ranking and query-understanding code (no index needed)."""

from search import bestmatch, understanding
from search.analysis import normalize, segmenter
from search.querying import parse_query


def _concepts(q):
    return {c.text: c for c in parse_query(q).clauses}


def _doc(i, text, *, title="", level="", status="现行有效", heading="", kind="article"):
    t = normalize(title)
    return bestmatch.StoredDoc(
        i,
        f"k{i}",
        kind,
        t,
        f"{t}\n{normalize(text)}",
        {},
        level=level,
        status=status,
        heading=normalize(heading),
    )


def _order(specs, docs, sets=None):
    sets = sets or [{d.id for d in docs if any(a in d.text for a in sp.alts)} for sp in specs]
    pl = bestmatch.plan(specs, sets, 1000)
    return [r.id for r in bestmatch.rerank(pl, docs, ())]


# --- query understanding ---------------------------------------------------------------------


def test_left_over_characters_of_a_question_do_not_become_made_up_words():
    # jieba's HMM guesses 人用 / 人来 / 人要 as words; no law contains them, and as a concept
    # each one made every article a partial match.
    for q, junk in (
        ("把银行卡借给诈骗的人用犯罪吗", "人用"),
        ("警察打电话叫人来派出所算传唤吗", "人来"),
        ("正当防卫打伤人要负责吗", "人要"),
    ):
        assert junk not in _concepts(q), q
    assert "人用" not in segmenter().cut_question("诈骗的人用")


def test_who_and_where_words_lift_but_never_decide():
    concepts = _concepts("警察打电话叫人来派出所算传唤吗")
    assert concepts["警察"].hint and concepts["派出所"].hint
    assert not concepts["传唤"].hint
    # ... unless nothing else is asked: then they are what is searched.
    only = parse_query("派出所的民警")
    assert only.core and all(not c.hint for c in only.clauses)


def test_is_it_a_crime_and_refusal_questions_become_hints():
    crime = _concepts("醉驾是犯罪吗")
    assert crime["犯罪吗"].hint
    assert "刑事责任" in {lit.text for lit in crime["犯罪吗"].slots[0]}
    refuse = _concepts("吸毒人员不肯去戒毒怎么办")
    assert refuse["不肯"].hint and "拒绝" in {lit.text for lit in refuse["不肯"].slots[0]}
    assert not refuse["戒毒"].hint and "人员" not in refuse


def test_sentence_and_penalty_questions_ask_for_different_articles():
    sentence = {lit.text for lit in _concepts("袭警判几年")["判几年"].slots[0]}
    penalty = {lit.text for lit in _concepts("嫖娼被抓怎么罚")["怎么罚"].slots[0]}
    assert "有期徒刑" in sentence and "罚款" not in sentence
    assert "罚款" in penalty


def test_context_file_lines_are_well_formed():
    for line in understanding._lines(understanding.CONTEXT_FILE):
        parsed = understanding.parse_mapping_line(line)
        assert parsed and parsed[0] and parsed[1], line


# --- ranking ---------------------------------------------------------------------------------


def test_a_generic_alternative_weighs_less_than_the_specific_term():
    w = bestmatch.alt_weights(("开车", "驾驶机动车", "驾驶"), "开车")
    assert w[0] == 1.0 and w[1] > w[2]
    spec = bestmatch.Spec(("开车", "驾驶机动车", "驾驶"), typed="开车")
    docs = [_doc(1, "驾驶船舶的人员"), _doc(2, "驾驶机动车的人员")]
    assert _order([spec], docs)[0] == 2


def test_long_enumerating_article_is_not_buried_by_its_length():
    # 道路交通安全法 第九十九条: the penalty is written once in the lead, the act in item nine.
    specs = [bestmatch.Spec(("驾驶机动车",)), bestmatch.Spec(("拘留",))]
    items = "；".join(f"（{n}）其他第{n}种违反规定的行为" for n in "一二三四五六七八")
    long_list = _doc(
        1, f"有下列行为之一的，可以并处十五日以下拘留：{items}；（九）未取得驾驶证驾驶机动车的。"
    )
    apart = _doc(2, "驾驶机动车应当遵守规定。" + "其他事项另行规定。" * 4 + "违者拘留。")
    assert _order(specs, [apart, long_list])[0] == 1


def test_a_law_answers_before_the_departmental_rule_that_repeats_it():
    spec = [bestmatch.Spec(("暂缓执行",)), bestmatch.Spec(("保证金",))]
    text = "被处罚人申请暂缓执行行政拘留的，可以交纳保证金。"
    rule = _doc(1, text, title="公安机关办理行政案件程序规定 第二百二十三条", level="部门规章")
    law = _doc(2, text, title="中华人民共和国治安管理处罚法 第一百零七条", level="法律")
    assert _order(spec, [rule, law])[0] == 2


def test_the_version_in_force_ranks_before_an_amended_one():
    spec = [bestmatch.Spec(("行政复议",)), bestmatch.Spec(("期限",))]
    text = "申请行政复议的期限为六十日。"
    old = _doc(1, text, level="法律", status="已修改")
    new = _doc(2, text, level="法律")
    assert _order(spec, [old, new])[0] == 2


def test_a_question_word_found_in_the_chapter_heading_lifts_the_article():
    specs = [bestmatch.Spec(("超载",)), bestmatch.Spec(("处罚", "罚款", "法律责任"), hint=True)]
    text = "货运机动车超载的，依照规定处理。"
    plain = _doc(1, text, heading="第四章 道路通行规定")
    penalty = _doc(2, text, heading="第七章 法律责任")
    assert _order(specs, [plain, penalty])[0] == 2


def test_covering_more_of_the_question_beats_repeating_one_word():
    specs = [bestmatch.Spec(("扣押",)), bestmatch.Spec(("期限",), hint=True)]
    repeat = _doc(1, "扣押" * 6 + "的物品")
    covers = _doc(2, "扣押的期限不得超过三十日")
    assert _order(specs, [repeat, covers])[0] == 2


def test_an_aspect_particle_does_not_hide_a_known_phrase():
    # 打了警察 is 打警察 (袭警), 关了几天 is 关几天 (detained), not "how many days".
    assert "暴力袭击正在依法执行职务的人民警察" in {
        lit.text for c in parse_query("醉酒的人打了警察要判刑吗").clauses for lit in c.slots[0]
    }
    detained = _concepts("警察抓错人关了几天能要求赔钱吗")
    assert not any(c.hint and "期限" in {lit.text for lit in c.slots[0]} for c in detained.values())


def test_the_laws_own_term_typed_in_a_question_stays_whole():
    concepts = _concepts("取保候审要交多少钱")
    assert "取保候审" in concepts and "候审" not in concepts


def test_a_quantity_the_lexicon_knows_keeps_both_readings():
    alts = {lit.text for c in parse_query("被错误关押一天赔多少钱").clauses for lit in c.slots[0]}
    assert {"一日", "每日"} <= alts


def test_a_typed_legal_term_brings_the_other_terms_of_its_lexicon_line():
    # 管制刀具 typed as the law's word still finds 管制器具 (治安管理处罚法 第三十二条) ...
    knives = _concepts("带着管制刀具上街怎么处罚")["管制刀具"]
    assert "管制器具" in {lit.text for lit in knives.slots[0]}
    # ... but a term that several lexicon lines use (行政拘留) stands for itself.
    detention = _concepts("行政拘留了要不要通知家里人")["行政拘留"]
    assert {lit.text for lit in detention.slots[0]} == {"行政拘留"}


def test_when_no_document_holds_a_word_of_the_question_its_who_and_where_words_bring_some_in():
    specs = [
        bestmatch.Spec(("审问",)),
        bestmatch.Spec(("住所", "住宅"), hint=True, context=True),
        bestmatch.Spec(("处罚", "罚款"), hint=True),
    ]
    pl = bestmatch.plan(specs, [set(), {3, 4}, {5}], 100)
    assert pl.pool == {3, 4} and not pl.is_full(3)
    # A question word alone (怎么处罚) brings nothing in: a zero result for the log.
    pl = bestmatch.plan([specs[0], specs[2]], [set(), {5}], 100)
    assert not pl.pool
    # ... but a word that some document holds still decides what comes in.
    pl = bestmatch.plan(specs, [{1}, {3, 4}, {5}], 100)
    assert pl.pool == {1}


def test_an_article_of_a_police_essential_law_ranks_first_among_equals():
    spec = [bestmatch.Spec(("盘问",)), bestmatch.Spec(("检查",))]
    plain = _doc(1, "当场盘问、检查。", level="法律")
    essential = _doc(2, "当场盘问、检查。", level="法律")
    essential.meta["essential"] = True
    assert _order(spec, [plain, essential])[0] == 2


def test_the_law_search_documents_say_whether_the_law_is_police_essential():
    from types import SimpleNamespace

    from laws.search import article_document

    law = SimpleNamespace(
        pk=1,
        title="中华人民共和国人民警察法",
        level="法律",
        live=True,
        essential=True,
        display_short_title="人民警察法",
        promulgation_date=None,
    )
    version = SimpleNamespace(
        pk=1, status="现行有效", label="2012", version_date=None, promulgation_date=None
    )
    article = SimpleNamespace(pk=9, slug="9", label="第九条", text="盘问", heading_path=[])
    doc = article_document(article, law=law, version=version, law_url="/laws/1/")
    assert doc.meta["essential"] is True


def test_a_single_legal_term_query_keeps_its_exact_substring_semantics():
    # Question understanding widens 管制刀具 to 管制器具; a query of the one term does not.
    for term in ("刑事拘留", "管制刀具", "治安调解"):
        (clause,) = parse_query(term).clauses
        assert [lit.text for lit in clause.slots[0]] == [term]


# --- generalisation round: cross-references, law hints, variants of one term -----------------


def test_a_penalty_article_citing_the_duty_by_number_answers_how_is_it_punished():
    # 网站泄露用户信息怎么罚: the duty (第四十二条) holds every word; its penalty says only
    # 违反本法第四十一条至第四十三条规定的 … 罚款. Asked how it is punished, the penalty comes first.
    from laws.search import article_refs

    penalty_text = (
        "网络运营者违反本法第四十一条至第四十三条规定的，由有关主管部门责令改正，处罚款。"
    )
    assert article_refs(penalty_text) == ["第四十一条", "第四十二条", "第四十三条"]
    assert article_refs("违反本办法第六、十一、十二条规定的") == ["第六条", "第十一条", "第十二条"]
    assert article_refs("依照《中华人民共和国刑事诉讼法》第八十二条的规定") == []
    duty = _doc(1, "网络运营者不得泄露其收集的个人信息。", title="网络安全法 第四十二条")
    penalty = _doc(2, penalty_text, title="网络安全法 第六十四条")
    other = _doc(3, "网络运营者应当处理用户的投诉。", title="网络安全法 第四十九条")
    for d, label in ((duty, "第四十二条"), (penalty, "第六十四条"), (other, "第四十九条")):
        d.meta.update(law_title="网络安全法", version="v1", article_label=label)
        d.meta["refs"] = article_refs(d.text)
    concepts = [
        bestmatch.Spec(alts=("网络运营者",), typed="网络运营者"),
        bestmatch.Spec(alts=("泄露",), typed="泄露"),
        bestmatch.Spec(alts=("个人信息",), typed="个人信息"),
    ]
    how_punished = bestmatch.Spec(alts=("处罚", "罚款"), hint=True, typed="怎么罚")
    assert _order([*concepts, how_punished], [duty, penalty, other])[:2] == [2, 1]
    # Asked whether it is allowed at all, the duty stays first.
    assert _order(concepts, [duty, penalty, other])[0] == 1


def test_a_question_naming_a_laws_subject_lifts_that_laws_articles():
    parsed = parse_query("外国人签证过期了还没走怎么罚")
    assert "出境入境管理法" in parsed.laws
    assert parse_query("外国人").laws == ()  # a literal query is not a question
    same = "违反规定的，处五百元以下罚款。"
    docs = [
        _doc(1, same, title="某某管理办法 第九条"),
        _doc(2, same, title="中华人民共和国出境入境管理法 第七十八条"),
    ]
    specs = [bestmatch.Spec(alts=("罚款",), typed="罚款")]
    pl = bestmatch.plan(specs, [{1, 2}], 1000)
    ranked = bestmatch.rerank(pl, docs, (), laws=parsed.laws)
    assert [r.id for r in ranked] == [2, 1]


def test_a_variant_of_the_same_legal_term_is_not_a_generic_word():
    # 冒用他人居民身份证 inside 盗用、冒用他人居民身份证 is the same term, not a generic part.
    w = bestmatch.alt_weights(
        ("用别人身份证", "冒用他人居民身份证", "盗用、冒用他人居民身份证"), "用别人身份证"
    )
    assert w[1] == bestmatch.EXPANSION_WEIGHT
    w = bestmatch.alt_weights(("开车", "驾驶机动车", "驾驶"), "开车")
    assert w[2] == bestmatch.GENERIC_WEIGHT


def test_a_one_character_verb_is_tried_as_the_law_writes_it():
    # 带枪 → 携带枪支 (lexicon); a word the lexicon does not know: the law's verb in front.
    alts = understanding.load_lexicon().expansions("带刀片")
    assert "携带刀片" in alts
    assert understanding.load_lexicon().expansions("驾照")[0] == "驾照"  # known words unchanged


def test_how_to_handle_is_a_question_word_not_filler():
    assert _concepts("套牌车抓到了怎么处理")["怎么处理"].hint


# --- second generalisation round: mechanisms, not questions ----------------------------------


def test_a_duration_question_lifts_the_article_stating_a_period_in_any_words():
    # 多久 asks for a period; the law states it as 三十日, 二年, 六个月 with or without 期限
    # (时效为两年, 有效期为十年): the answer's form (shapes.txt) lifts it.
    how_long = _concepts("申请国家赔偿过了多久就不能申请了")["多久"]
    assert how_long.hint and how_long.shapes
    spec = bestmatch.Spec(
        tuple(lit.text for lit in how_long.slots[0]), hint=True, shapes=how_long.shapes
    )
    specs = [bestmatch.Spec(("国家赔偿",)), spec]
    plain = _doc(1, "赔偿请求人请求国家赔偿，应当递交申请书。")
    period = _doc(2, "赔偿请求人请求国家赔偿的时效为两年，自其知道之日起计算。")
    assert _order(specs, [plain, period])[0] == 2
    amount = _concepts("打架罚多少钱")["罚多少钱"]
    assert any(__import__("re").search(p, "处五百元以下罚款") for p in amount.shapes)


def test_shape_names_in_intents_are_all_defined():
    lex = understanding.load_lexicon(normalize=normalize)
    for line in understanding._lines(understanding.INTENTS_FILE):
        for value in understanding.parse_mapping_line(line)[1]:
            ref = understanding._SHAPE_REF.match(value)
            assert not ref or ref.group(1) in lex.shapes, line


def test_a_lone_everyday_verb_lifts_the_law_verbs_and_never_decides():
    # 领, 查, 换 said alone were single characters and dropped; 骗 (a lexicon word) is not a hint.
    for q, verb, legal in (
        ("驾照快到期了提前多久去换", "换", "换证"),
        ("车被交警扣了去哪里领", "领", "领取"),
    ):
        c = _concepts(q)[verb]
        assert c.hint and legal in {lit.text for lit in c.slots[0]}, q
    assert not _concepts("他骗了老人的钱怎么罚")["骗"].hint


def test_a_law_named_in_a_question_is_a_lift_not_a_word():
    parsed = parse_query("刑诉法里逮捕要什么条件")
    assert "刑诉法" not in {c.text for c in parsed.clauses}
    assert "刑事诉讼法" in parsed.named
    assert "治安管理处罚法" in parse_query("治安法对赌博怎么罚").named
    specs = [bestmatch.Spec(("逮捕",))]
    text = "对有证据证明有犯罪事实的犯罪嫌疑人，应当予以逮捕。"
    other = _doc(1, text, title="公安机关办理刑事案件程序规定 第一百三十三条", level="法律")
    named = _doc(2, text, title="中华人民共和国刑事诉讼法 第八十一条", level="法律")
    pl = bestmatch.plan(specs, [{1, 2}], 1000)
    ranked = bestmatch.rerank(pl, [other, named], (), named=parsed.named)
    assert ranked[0].id == 2


def test_a_quantity_in_a_question_ranks_but_does_not_decide_every_word():
    # 偷了两千块: the law states 一千元至三千元以上, never the officer's figure.
    parsed = parse_query("偷了两千块钱够不够判刑")
    quantity = next(c for c in parsed.clauses if c.soft)
    assert "两千元" in {lit.text for lit in quantity.slots[0]}
    assert quantity not in parsed.core
    # an approximate figure (七十多岁, 二十来天, 三千余元) stands for the figure
    for q, form in (("七十多岁的老人违法要关吗", "七十周岁"), ("被关了二十来天能赔多少", "二十日")):
        assert any(form in {lit.text for lit in c.slots[0]} for c in parse_query(q).clauses), q
    specs = [bestmatch.Spec(("盗窃",)), bestmatch.Spec(("两千元", "二千元"), soft=True)]
    pl = bestmatch.plan(specs, [{1, 2}, {2}], 1000)
    assert pl.is_full(1) and pl.is_full(2)
    ranked = bestmatch.rerank(pl, [_doc(1, "盗窃公私财物"), _doc(2, "盗窃二千元")], ())
    assert ranked[0].id == 2


def test_every_law_name_points_at_a_law_of_the_shared_collection(shared_data):
    import csv

    with open(shared_data / "laws" / "index.csv", encoding="utf-8") as f:
        titles = [row["title_h1"] for row in csv.DictReader(f)]
    lex = understanding.load_lexicon(normalize=normalize)
    for name, fragments in lex.names.items():
        for fragment in fragments:
            assert any(fragment in t for t in titles), (name, fragment)


def test_a_yes_or_no_question_asks_about_the_verb_not_its_negation():
    # 立不立案 is about 立案 (not a core 不立案), 扣不扣分 about 扣分 (not 扣 → 扣押); a
    # negation the lexicon knows (不罚 → 不予处罚) lifts, as the answer is often a "no".
    filed = _concepts("小孩走丢了报警派出所立不立案")
    assert not filed["立案"].hint and filed["不立案"].hint
    points = _concepts("超速百分之二十扣不扣分")
    assert "扣分" in points and "扣" not in points
    punished = _concepts("十三岁的孩子打人罚不罚")
    assert not punished["罚"].hint and punished["不罚"].hint
    # question words of the data files keep their own reading
    assert _concepts("开车打电话违不违法")["违不违法"].hint


def test_figures_are_read_whole_and_narrative_words_dropped():
    # 十几万块钱 is not 万块钱 (read as 0元 before); 两个人 (a lexicon figure) does not decide
    # "every word"; 昨天, 起来, 其中 of a long story are not searched.
    story = parse_query("昨天在烧烤摊两个人打起来了其中一个被骗了十几万块钱")
    texts = {lit.text for c in story.clauses for lit in c.slots[0]}
    assert "0元" not in texts and "0块钱" not in texts
    assert not {"昨天", "起来", "其中"} & {c.text for c in story.clauses}
    assert any(c.soft for c in story.clauses if c.text == "两个人")


def test_a_may_i_question_lifts_articles_that_grant_or_forbid():
    may = _concepts("没有搜查证能不能搜查")["能不能"]
    assert may.hint and {"可以", "不得"} <= {lit.text for lit in may.slots[0]}


def test_an_article_stating_no_asked_period_does_not_keep_the_first_tier(monkeypatch):
    # 扣押物品最长扣多久: an article naming 扣押 and 物品 but no period cannot answer it.
    how_long = _concepts("扣押物品最长扣多久")["最长"]
    specs = [
        bestmatch.Spec(("扣押",)),
        bestmatch.Spec(("物品",)),
        bestmatch.Spec(("日内",), hint=True, shapes=how_long.shapes),
    ]
    silent = _doc(1, "扣押物品应当妥善保管，扣押物品不得使用、损毁，扣押物品清单交当事人。")
    period = _doc(2, "扣押的期间不超过三十日；情况复杂的，经批准可以延长，延长期间的物品另行登记。")
    assert _order(specs, [silent, period])[0] == 2
    monkeypatch.setattr(bestmatch, "ANSWER_FORM_TIER", 0)
    assert _order(specs, [silent, period])[0] == 1


def test_a_lone_verb_is_not_put_in_front_of_other_words():
    # 交 alone lifts 缴纳/交纳; 交通管制 is not 缴纳通管制 (verbs.txt is for 带枪 → 携带枪)
    texts = {lit.text for c in parse_query("交通管制谁有权决定").clauses for lit in c.slots[0]}
    assert not any(t.startswith("缴纳") for t in texts)
    sold = {lit.text for c in parse_query("卖假烟怎么罚").clauses for lit in c.slots[0]}
    assert "出售假" in sold
    # ... and not in front of a word that already writes it out (扣押 is not 扣押押)
    seized = {lit.text for c in parse_query("扣押物品最长扣多久").clauses for lit in c.slots[0]}
    assert "扣押押" not in seized
