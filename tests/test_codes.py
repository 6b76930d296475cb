from htcds_learn.standard import codes


def test_country_codes_are_the_249_iso_3166_alpha_2_codes():
    assert len(codes.country_codes()) == 249
    assert codes.is_country_code("NG") and codes.is_country_code("TL")
    assert not codes.is_country_code("ng")  # codes are written in capitals
    assert not codes.is_country_code("UK")  # the code for the United Kingdom is GB
    assert not codes.is_country_code(None)


def test_language_codes_accept_639_1_and_639_2_but_not_names():
    for code in ("en", "fr", "tl", "eng", "fra", "fre", "ger", "deu"):
        assert codes.is_language_code(code), code
    for code in ("EN", "english", "", "xx", 12):
        assert not codes.is_language_code(code), code
    assert codes.language_name("fre") == "French"


def test_code_tables():
    countries = codes.countries()
    assert list(countries.columns) == ["code", "name"] and len(countries) == 249
    languages = codes.languages()
    assert len(languages) == len(codes.language_codes_two_letter()) == 184
    assert languages.set_index("code").loc["sw", "alpha_3"] == "swa"
