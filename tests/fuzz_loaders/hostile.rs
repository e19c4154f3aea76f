//! Large hostile inputs: each must finish, in time proportional to its size. Nothing here is
//! timed (speed is for benchmarks); a quadratic or exponential path shows as a test run that
//! does not end, and the runner's total time shows a slow one.

/// Which loader an input is for.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    SiteYaml,
    ReportFile,
    MarkdownBody,
}

pub struct Hostile {
    pub name: &'static str,
    pub target: Target,
    pub bytes: Vec<u8>,
}

/// How many times the unit of each input is repeated.
pub const N: usize = 100_000;

/// Inputs where every unit is a problem repeat it `N / PER_PROBLEM` times: each diagnostic
/// finds its line by counting lines from the start of the file (`Diagnostic::at_offset`), so
/// many problems cost the square of their number there, whatever the loaders do.
const PER_PROBLEM: usize = 20;

/// Links between reports repeat `N / PER_LINK` times: each link also finds its line from the
/// start of the file (`markdown::rewrite_report_links`), 17 s for 8,000 links in a debug build.
const PER_LINK: usize = 100;

fn case(name: &'static str, target: Target, bytes: impl Into<Vec<u8>>) -> Hostile {
    Hostile {
        name,
        target,
        bytes: bytes.into(),
    }
}

/// Front matter with `yaml` after three valid keys, and a one-line body.
fn report(yaml: &str) -> String {
    format!("---\ntitle: t\ndepartment: justice-bureau\ndate: 2022-03-01\n{yaml}\n---\n正文\n")
}

/// The "billion laughs": nine levels of nine aliases each, 9⁹ strings if expanded, the last
/// one the value of `key`.
fn alias_bomb(key: &str) -> String {
    let lols = ["\"lol\""; 9].join(",");
    let mut s = format!("a: &a [{lols}]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    s.push_str(&format!("{key}: *i\n"));
    s
}

/// The same, every level inside the value of `key`, so no unknown key stops parsing first.
fn alias_bomb_in(key: &str) -> String {
    let lols = ["\"lol\""; 9].join(",");
    let mut s = format!("{key}:\n  - &a [{lols}]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("  - &{name} [{refs}]\n"));
    }
    s
}

/// `site.yaml` with `languages: [zh, en]` replaced by `languages` (a whole line).
fn site_with_languages(languages: &str) -> String {
    super::targets::SITE_YAML.replace("languages: [zh, en]\n", languages)
}

fn markdown(n: usize) -> Vec<Hostile> {
    use Target::MarkdownBody as M;
    let cells = |cell: &str| cell.repeat(n / 10);
    vec![
        case("`[` × n", M, "[".repeat(n)),
        case("`*` × n", M, "*".repeat(n)),
        case("`*a` × n", M, "*a".repeat(n)),
        case("`**a_` × n", M, "**a_".repeat(n)),
        case("`![` × n", M, "![".repeat(n)),
        case("`[a](` × n", M, "[a](".repeat(n)),
        case("backticks × n", M, "`".repeat(n)),
        case("`<` × n", M, "<".repeat(n)),
        case("`&#` × n", M, "&#".repeat(n)),
        case(
            "`- ` × n/10 (nested lists)",
            M,
            format!("{}x\n", "- ".repeat(n / 10)),
        ),
        case("a line of 5n Chinese characters", M, "法治".repeat(5 * n)),
        case(
            "a table of n/10 columns",
            M,
            format!("{}\n{}\n{}\n", cells("|a"), cells("|-"), cells("|1")),
        ),
        case(
            "n footnote references",
            M,
            format!("{}\n\n[^1]: x\n", "[^1]".repeat(n)),
        ),
        case("n/10 headings", M, "## 标题\n".repeat(n / 10)),
        case(
            "n/100 links to a report",
            M,
            "[x](../2021/justice-bureau.md)\n".repeat(n / PER_LINK),
        ),
        case(
            "n/100 links to missing reports",
            M,
            "[x](../2021/nowhere.md)\n".repeat(n / PER_LINK),
        ),
    ]
}

fn front_matter(n: usize) -> Vec<Hostile> {
    use Target::ReportFile as R;
    let few = n / PER_PROBLEM;
    let figures: String = (0..few).map(|i| format!("  f{i}: 1\n")).collect();
    vec![
        case(
            "`[` × n in front matter",
            R,
            report(&format!("summary: {}", "[".repeat(n))),
        ),
        case(
            "`{a: ` × n in front matter",
            R,
            report(&format!("summary: {}", "{a: ".repeat(n))),
        ),
        case(
            "`- ` × n in front matter",
            R,
            report(&format!("summary: {}x", "- ".repeat(n))),
        ),
        case(
            "alias bomb beside the keys",
            R,
            report(&alias_bomb("themes")),
        ),
        case("alias bomb in themes", R, report(&alias_bomb_in("themes"))),
        case(
            "a summary of 10n characters",
            R,
            report(&format!("summary: {}", "a".repeat(10 * n))),
        ),
        case(
            "n comment lines",
            R,
            report(&format!("{}themes: [x]", "# c\n".repeat(n))),
        ),
        case("n `---` lines", R, "---\n".repeat(n)),
        case(
            "unclosed front matter of n lines",
            R,
            format!("---\n{}", "a: b\n".repeat(n)),
        ),
        case(
            "n/20 unknown themes",
            R,
            report(&format!("themes: [\n{}]", "x,\n".repeat(few))),
        ),
        case(
            "n/20 repeated themes",
            R,
            report(&format!("themes:\n{}", "  - rule-of-law\n".repeat(few))),
        ),
        case(
            "n/20 unknown figures",
            R,
            report(&format!("figures:\n{figures}")),
        ),
        case(
            "n/20 revisions of one bad date",
            R,
            report(&format!(
                "revisions:\n{}",
                "  - { date: x, note: '' }\n".repeat(few)
            )),
        ),
    ]
}

fn site_yaml(n: usize) -> Vec<Hostile> {
    use Target::SiteYaml as S;
    let site = super::targets::SITE_YAML;
    let few = n / PER_PROBLEM;
    let departments: String = (0..few)
        .map(|i| format!("    D{i}: {{ zh: a, en: b }}\n"))
        .collect();
    vec![
        case(
            "`[` × n in site.yaml",
            S,
            format!("{site}theme: {}", "[".repeat(n)),
        ),
        case(
            "alias bomb in site.yaml",
            S,
            format!("{site}{}", alias_bomb("x")),
        ),
        case(
            "alias bomb in languages",
            S,
            site_with_languages(&alias_bomb_in("languages")),
        ),
        case(
            "n/20 bad languages",
            S,
            site_with_languages(&format!("languages: [\n{}]\n", "X,\n".repeat(few))),
        ),
        case(
            "n/20 repeated languages",
            S,
            site_with_languages(&format!("languages:\n{}", "  - zh\n".repeat(few))),
        ),
        case(
            "n/20 department keys that are not slugs",
            S,
            site.replace(
                "  departments:\n",
                &format!("  departments:\n{departments}"),
            ),
        ),
        case(
            "a base_url of 10n characters",
            S,
            site.replace("https://www.example.gov.cn/fzzf/", &"https://x/".repeat(n)),
        ),
    ]
}

/// Markdown nested deep enough to overflow a 2 MiB stack (a rayon worker's, where reports
/// load) in `markdown::plain_text`, which recurses once per level: the process aborts.
pub fn deep_nesting(n: usize) -> Vec<Hostile> {
    use Target::MarkdownBody as M;
    vec![
        case(
            "`>` × n/10 (nested quotes)",
            M,
            format!("{} x\n", ">".repeat(n / 10)),
        ),
        case(
            "`_a ` × n/10 (nested emphasis)",
            M,
            format!("{}x{}\n", "_a ".repeat(n / 10), " a_".repeat(n / 10)),
        ),
    ]
}

/// Every input, with its unit repeated `n` times (fewer where each is a problem).
pub fn inputs(n: usize) -> Vec<Hostile> {
    let mut all = markdown(n);
    all.extend(front_matter(n));
    all.extend(site_yaml(n));
    all
}
