"""The page's inline style sheet."""

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .25rem; border-bottom: 2px solid #d0d7de; padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 1.75rem 0 .25rem; }
h4 { font-size: 1rem; margin: 0 0 .25rem; }
.kw { color: #8250df; font-weight: 600; }
.muted, .source { color: #59636e; font-size: .85rem; }
.summary { display: flex; gap: .75rem; flex-wrap: wrap; margin: 1rem 0; }
.count { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .9rem; min-width: 7rem; }
.count .n { display: block; font-size: 1.5rem; font-weight: 700; }
.status { display: inline-block; border-radius: 1rem; padding: 0 .6rem; font-size: .8rem; font-weight: 600;
  vertical-align: middle; white-space: nowrap; }
.status.passed { background: #dafbe1; color: #116329; }
.status.failed { background: #ffebe9; color: #a40e26; }
.status.not-run { background: #eaeef2; color: #424a53; }
.status.not-part-of-that-edition { background: #fff8c5; color: #7d4e00; }
.results { display: inline-flex; gap: .4rem; flex-wrap: wrap; vertical-align: middle; }
.brand-result { white-space: nowrap; font-size: .8rem; }
.brand-result .brand { color: #59636e; margin-right: .2rem; }
.edition { background: #fff8c5; border-radius: 6px; padding: .3rem .75rem; font-size: .9rem; }
#run { margin: .25rem 0 1rem; }
table.brands td.n { text-align: right; }
.count.passed { border-color: #4ac26b; }
.count.failed { border-color: #ff8182; }
ul.tags { list-style: none; padding: 0; margin: .25rem 0; display: flex; gap: .35rem; flex-wrap: wrap; }
ul.tags li { background: #ddf4ff; color: #0550ae; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; }
.description p { margin: .35rem 0; }
.rule { border-left: 4px solid #d0d7de; padding-left: 1rem; margin-top: 1.5rem; }
.rule > .description { background: #f6f8fa; padding: .4rem .75rem; border-radius: 6px; }
.scenario { border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.scenario.failed { border-color: #ff8182; }
.background { color: #424a53; }
ol.steps { list-style: none; padding: 0; margin: .5rem 0; }
ol.steps li { margin: .15rem 0; }
.value { color: #0a3069; font-weight: 600; }
.param { color: #953800; font-style: italic; }
table { border-collapse: collapse; margin: .5rem 0 .5rem 1.5rem; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .2rem .6rem; text-align: left; }
th { background: #f6f8fa; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; font-size: .85rem; }
nav ol { padding-left: 1.25rem; }
nav li { margin: .15rem 0; }
details { margin-top: .5rem; }
.failure { border: 1px solid #ff8182; border-radius: 6px; padding: .4rem .75rem; margin: .5rem 0;
  background: #fff8f7; }
.failure p { margin: 0 0 .25rem; color: #a40e26; }
.failure dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; }
.failure dt { color: #59636e; }
.failure dd { margin: 0; }
.failure dd.message { font-weight: 600; }
li.failed-step { background: #ffebe9; border-radius: 4px; padding: 0 .3rem; }
.failed-mark { color: #a40e26; font-size: .8rem; font-weight: 600; }
#find { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #d0d7de;
  display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; z-index: 1; }
#find input { flex: 1 1 14rem; padding: .3rem .5rem; font: inherit; }
#find label { font-size: .85rem; }
.other-brand { display: none; }
[hidden] { display: none !important; }
.trend { font-size: .8rem; margin: .2rem 0; display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; }
.tick { display: inline-block; width: .6rem; height: .9rem; margin-right: 1px; border-radius: 2px;
  background: #eaeef2; vertical-align: middle; }
.tick.passed { background: #4ac26b; }
.tick.failed { background: #ff8182; }
.tick.not-part-of-that-edition { background: #fff8c5; }
ol.sentences { list-style: none; padding: 0; }
li.sentence { margin: .4rem 0; padding: .2rem .5rem; border-left: 3px solid #d0d7de; }
li.sentence.encoded { border-left-color: #4ac26b; }
li.sentence.uncovered { border-left-color: #ff8182; background: #ffebe9; }
li.sentence q { quotes: none; }
ul.links { margin: .1rem 0 0 1rem; padding: 0; font-size: .9rem; }
"""
