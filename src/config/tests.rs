//! Tests of the config and catalogue readers.

use super::*;

#[test]
fn unknown_key_is_named() {
    let err = parse_toml::<ConfigFile>(Path::new("x.toml"), "catalogue = \"c\"\ncolour = 1\n")
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("x.toml") && msg.contains("colour"), "{msg}");
}

#[test]
fn unknown_key_in_source_is_named() {
    let text =
        "catalogue = \"c\"\n[[source]]\nname = \"a\"\nkind = \"dir\"\npath = \"d\"\ndepth = 3\n";
    let msg = parse_toml::<ConfigFile>(Path::new("x.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("depth"), "{msg}");
}

#[test]
fn reuse_boilerplate_settings_parse() {
    let parse = |detect: &str| {
        Config::parse(
            Path::new("x.toml"),
            &format!("catalogue = \"c\"\n[detect]\n{detect}\n"),
        )
    };
    // the two deprecated settings are still accepted, whatever their value
    assert!(parse("boilerplate_outputs = 0").is_ok());
    assert!(parse("boilerplate_outputs = 1").is_ok());
    assert!(parse("boilerplate_doc_share = 0.3").is_ok());
    let cfg = parse("boilerplate_site_pages = 5\nboilerplate_texts = [\"All rights reserved.\"]")
        .unwrap();
    assert_eq!(cfg.detect.boilerplate_site_pages, 5);
    assert_eq!(cfg.detect.boilerplate_texts, ["All rights reserved."]);
}

#[test]
fn the_prefilter_is_on_unless_turned_off() {
    let parse = |detect: &str| {
        Config::parse(
            Path::new("x.toml"),
            &format!("catalogue = \"c\"\n[detect]\n{detect}\n"),
        )
    };
    assert!(parse("").unwrap().detect.prefilter);
    assert!(!parse("prefilter = false").unwrap().detect.prefilter);
    assert!(parse("prefilter = \"no\"").is_err());
}

#[test]
fn paths_are_joined_cleanly() {
    assert_eq!(
        join_clean(Path::new("data"), Path::new("../out")),
        PathBuf::from("out")
    );
    assert_eq!(
        join_clean(Path::new("."), Path::new("out")),
        PathBuf::from("out")
    );
    assert_eq!(
        join_clean(Path::new("/a/b"), Path::new("./c/../d")),
        PathBuf::from("/a/b/d")
    );
    assert_eq!(
        join_clean(Path::new("data"), Path::new("/abs")),
        PathBuf::from("/abs")
    );
    assert_eq!(
        join_clean(Path::new("data"), Path::new("../../x")),
        PathBuf::from("../x")
    );
}

#[test]
fn shipped_web_config_loads_with_every_source_kind_and_the_real_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg =
        Config::load(&root.join("data/sources-igf.toml")).expect("data/sources-igf.toml loads");
    let kinds: HashSet<&str> = cfg
        .sources
        .iter()
        .map(|s| match s {
            SourceConfig::Dir(_) => "dir",
            SourceConfig::Http(_) => "http",
            SourceConfig::Wayback(_) => "wayback",
            SourceConfig::Feed(_) => "feed",
            SourceConfig::OpenAlex(_) => "openalex",
            SourceConfig::Warc(_) => "warc",
        })
        .collect();
    for kind in ["http", "openalex", "wayback", "feed"] {
        assert!(kinds.contains(kind), "no {kind} source in {kinds:?}");
    }
    assert_eq!(cfg.crawl_dir(), root.join("crawl-igf"));
    assert_eq!(cfg.catalogue_path, root.join("data/catalogue-igf.toml"));
    let outputs = load_catalogue(&cfg.catalogue_path).expect("the real catalogue loads");
    let demo = load_catalogue(&root.join("data/catalogue.toml")).unwrap();
    assert_eq!(
        outputs.iter().map(|o| &o.id).collect::<Vec<_>>(),
        demo.iter().map(|o| &o.id).collect::<Vec<_>>(),
        "the real catalogue tracks the same outputs as the default one"
    );
    // its texts are the real reports on the web, never the demo texts
    assert!(outputs
        .iter()
        .flat_map(|o| &o.texts)
        .all(|t| matches!(t, TextSource::Url(_))));
    assert!(outputs.iter().filter(|o| !o.texts.is_empty()).count() >= 15);
}

#[test]
fn http_sources_are_validated_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    for (extra, expect) in [
        ("seeds = [\"ftp://x.org/\"]", "not an http or https URL"),
        (
            "seeds = [\"https://x.org/\"]\ninclude = [\"(\"]",
            "include pattern",
        ),
        (
            "seeds = [\"https://x.org/\"]\nconcurrency = 0",
            "concurrency",
        ),
        ("seeds = []", "`seeds` is empty"),
    ] {
        let p = dir.path().join("c.toml");
        std::fs::write(
            &p,
            format!("catalogue = \"c\"\n[[source]]\nname = \"w\"\nkind = \"http\"\n{extra}\n"),
        )
        .unwrap();
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(e.contains(expect) && e.contains("c.toml"), "{extra}: {e}");
    }
}

#[test]
fn shipped_config_and_catalogue_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg = Config::load(&root.join("data/uptake.toml")).expect("data/uptake.toml loads");
    assert_eq!(
        cfg.detect,
        DetectConfig::default(),
        "the shipped config spells out the defaults"
    );
    assert_eq!(cfg.sources.len(), 1);
    let outputs = load_catalogue(&cfg.catalogue_path).expect("the catalogue loads");
    assert_eq!(outputs.len(), 31);
    let own = load_own_sites(&cfg.catalogue_path).expect("the own sites load");
    assert_eq!(own.names(), ["intgovforum.org"]);
    assert!(
        !cfg.count_own,
        "the shipped config leaves own pages out of the counts"
    );
    assert_eq!(
        outputs
            .iter()
            .filter(|o| (2014..=2019).contains(&o.year))
            .count(),
        26
    );
    assert_eq!(outputs.iter().filter(|o| o.year == 2020).count(), 5);
    assert!(
        outputs.iter().all(|o| !o.aliases.is_empty()),
        "every output has aliases"
    );
}

#[test]
fn catalogue_rejects_unsafe_ids_and_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.toml");
    std::fs::write(
        &p,
        "[[output]]\nid = \"../x\"\nyear = 2015\ntitle = \"T\"\n",
    )
    .unwrap();
    let msg = load_catalogue(&p).unwrap_err().to_string();
    assert!(msg.contains("../x") && msg.contains("c.toml"), "{msg}");
    std::fs::write(&p, "[[output]]\nid = \"a\"\nyear = 2015\ntitle = \"T\"\n[[output]]\nid = \"a\"\nyear = 2016\ntitle = \"U\"\n").unwrap();
    assert!(load_catalogue(&p)
        .unwrap_err()
        .to_string()
        .contains("twice"));
    std::fs::write(
        &p,
        "[[output]]\nid = \"a\"\nyear = 2015\ntitle = \"T\"\ntext = \"missing.txt\"\n",
    )
    .unwrap();
    assert!(load_catalogue(&p)
        .unwrap_err()
        .to_string()
        .contains("missing.txt"));
}

#[test]
fn warc_source_parses_with_defaults_and_paths_relative_to_the_config() {
    let text = "catalogue = \"c\"\n[[source]]\nname = \"a\"\nkind = \"warc\"\n\
                paths = [\"../archive/*.warc.gz\", \"/abs/x.warc\"]\npaths_file = \"wet.paths.gz\"\n";
    let cfg = Config::parse(Path::new("data/uptake.toml"), text).unwrap();
    let SourceConfig::Warc(w) = &cfg.sources[0] else {
        panic!("expected warc, got {:?}", cfg.sources[0]);
    };
    assert_eq!(
        w.paths,
        [
            PathBuf::from("archive/*.warc.gz"),
            PathBuf::from("/abs/x.warc")
        ]
    );
    assert_eq!(w.paths_file, Some(PathBuf::from("data/wet.paths.gz")));
    assert_eq!(w.base_url, DEFAULT_WARC_BASE_URL);
    assert_eq!(w.max_record_bytes, DEFAULT_MAX_RECORD_BYTES);
    assert_eq!(w.delay_ms, DEFAULT_WARC_DELAY_MS);
    assert_eq!(
        w.record_types,
        [
            WarcRecordType::Response,
            WarcRecordType::Conversion,
            WarcRecordType::Resource
        ]
    );
}

#[test]
fn the_shipped_web_configs_common_crawl_source_loads_once_uncommented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("data/sources-igf.toml")).unwrap();
    let (_, block) = text
        .split_once("\n# [[source]]\n# name = \"common-crawl")
        .expect("the commented Common Crawl source");
    let uncommented: String = format!("# [[source]]\n# name = \"common-crawl{block}")
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let cfg = Config::parse(
        &root.join("data/sources-igf.toml"),
        &format!("{text}\n{uncommented}\n"),
    )
    .expect("with the Common Crawl source");
    let Some(SourceConfig::Warc(w)) = cfg.sources.last() else {
        panic!("the last source is the warc one: {:?}", cfg.sources.last());
    };
    assert_eq!(w.keep, WarcKeep::Found);
    assert!(is_download_url(
        &w.paths_file.as_ref().unwrap().to_string_lossy()
    ));
}

#[test]
fn a_warc_paths_file_may_be_a_url_and_base_url_an_object_store() {
    for (paths_file, base_url) in [
        (
            "s3://commoncrawl/crawl-data/CC-MAIN-2024-51/wet.paths.gz",
            "s3://commoncrawl/",
        ),
        (
            "https://data.commoncrawl.org/crawl-data/CC-MAIN-2024-51/wet.paths.gz",
            "gs://b/p/",
        ),
        ("AZ://c/wet.paths", "az://c/"),
    ] {
        let text = format!(
            "catalogue = \"c\"\n[[source]]\nname = \"a\"\nkind = \"warc\"\n\
             paths_file = {paths_file:?}\nbase_url = {base_url:?}\n"
        );
        let cfg = Config::parse(Path::new("data/uptake.toml"), &text).unwrap();
        let SourceConfig::Warc(w) = &cfg.sources[0] else {
            panic!("expected warc, got {:?}", cfg.sources[0]);
        };
        // a URL is kept as written, not joined to the config's folder
        assert_eq!(w.paths_file, Some(PathBuf::from(paths_file)));
        assert_eq!(w.base_url, base_url);
    }
    let text =
        "catalogue = \"c\"\n[[source]]\nname = \"b\"\nkind = \"dir\"\npath = \"s3://texts/bpf\"\n";
    let cfg = Config::parse(Path::new("data/uptake.toml"), text).unwrap();
    let SourceConfig::Dir(d) = &cfg.sources[0] else {
        panic!("expected dir, got {:?}", cfg.sources[0]);
    };
    assert_eq!(
        d.path,
        PathBuf::from("s3://texts/bpf"),
        "a folder on object storage"
    );
    assert!(is_object_store_url("s3://commoncrawl/x"));
    assert!(!is_object_store_url("https://data.commoncrawl.org/x"));
    assert!(!is_object_store_url("file:///x") && !is_object_store_url("s3.paths.gz"));
    assert!(is_download_url("HTTPS://h/x") && is_download_url("gs://b/x"));
    assert!(!is_download_url("ftp://h/x") && !is_download_url("data/wet.paths.gz"));
}

#[test]
fn warc_sources_are_validated_naming_the_field() {
    for (extra, expect) in [
        ("", "give `paths` or `paths_file`"),
        ("paths = [\"a.warc\"]\nbase_url = \"ftp://x/\"", "base_url"),
        (
            "paths = [\"a.warc\"]\nrecord_types = []",
            "`record_types` is empty",
        ),
        (
            "paths = [\"a.warc\"]\nrecord_types = [\"request\"]",
            "unknown variant `request`",
        ),
        (
            "paths = [\"a.warc\"]\nmax_record_bytes = 0",
            "max_record_bytes",
        ),
        ("paths = [\"a.warc\"]\ndelay = 5", "unknown field `delay`"),
    ] {
        let text =
            format!("catalogue = \"c\"\n[[source]]\nname = \"w\"\nkind = \"warc\"\n{extra}\n");
        let e = Config::parse(Path::new("c.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(expect) && e.contains("c.toml"), "{extra}: {e}");
    }
}

#[test]
fn own_sites_are_validated_naming_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cat.toml");
    let output = "[[output]]\nid = \"a\"\nyear = 2015\ntitle = \"T\"\n";
    std::fs::write(
        &p,
        format!("own_sites = [\"forum.example\", \"https://un.example/forum/\"]\n{output}"),
    )
    .unwrap();
    assert!(load_catalogue(&p).is_ok());
    let sites = load_own_sites(&p).unwrap();
    assert!(sites.contains("https://www.forum.example/bpf"));
    assert!(sites.contains("https://un.example/forum"));
    assert!(!sites.contains("https://un.example/other"));
    std::fs::write(&p, format!("own_sites = [\"forum.example/bpf\"]\n{output}")).unwrap();
    for e in [
        load_catalogue(&p).unwrap_err(),
        load_own_sites(&p).unwrap_err(),
    ] {
        let msg = e.to_string();
        assert!(
            msg.contains("cat.toml")
                && msg.contains("own_sites")
                && msg.contains("forum.example/bpf"),
            "{msg}"
        );
    }
    // a catalogue without the key has no own site
    std::fs::write(&p, output).unwrap();
    assert!(load_own_sites(&p).unwrap().is_empty());
}

#[test]
fn count_own_defaults_to_false() {
    let parse = |extra: &str| {
        Config::parse(Path::new("x.toml"), &format!("catalogue = \"c\"\n{extra}")).unwrap()
    };
    assert!(!parse("").count_own);
    assert!(parse("count_own = true\n").count_own);
    assert!(parse("").warc_out);
    assert!(!parse("warc_out = false\n").warc_out);
}

#[test]
fn http_source_parses_with_defaults() {
    let text = "catalogue = \"c\"\n[[source]]\nname = \"w\"\nkind = \"http\"\nseeds = [\"https://example.org/\"]\n";
    let f: ConfigFile = parse_toml(Path::new("x.toml"), text).unwrap();
    match &f.sources[0] {
        SourceConfig::Http(h) => {
            assert_eq!(h.delay_ms, DEFAULT_DELAY_MS);
            assert_eq!(h.max_depth, DEFAULT_MAX_DEPTH);
        }
        other => panic!("expected http, got {other:?}"),
    }
}
