use super::*;

#[test]
fn bands_and_ratios() {
    assert_eq!(age_band(34), "under_35");
    assert_eq!(age_band(35), "35_59");
    assert_eq!(age_band(59), "35_59");
    assert_eq!(age_band(60), "60_69");
    assert_eq!(age_band(69), "60_69");
    assert_eq!(age_band(70), "70_plus");
    assert_eq!(ratio(5, 12), Some(0.4167));
    assert_eq!(ratio(1, 0), None);
    assert_eq!(percent(Some(0.4167)), "41.7%");
}

#[test]
fn bump_falls_back_on_unknown() {
    let mut c = zeros::<Gender>(true);
    bump(&mut c, "f", 1);
    bump(&mut c, "", 2);
    assert_eq!(c, vec![("m", 0), ("f", 1), ("unknown", 2)]);
}
