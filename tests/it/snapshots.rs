//! Reviewed snapshots of `reportlint inspect` on each seed: the whole model as a reviewer reads it.

use crate::{SEEDS, root, run};

#[test]
fn inspect_each_seed() {
    for name in SEEDS {
        let path = format!("fixtures/reports/{name}.txt");
        let r = run(&["inspect", root().join(&path).to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stderr, "");
        // Paths in the output are absolute; keep the snapshot independent of the checkout.
        let out = r.stdout.replace(&format!("{}/", root().display()), "");
        insta::assert_snapshot!(name, out);
    }
}
