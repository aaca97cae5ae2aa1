import DialtoneJSON
import Testing

/// Cases named after nst/JSONTestSuite: `y_` must parse, `n_` must fail. Its implementation-defined
/// `i_` cases about lone surrogates and malformed UTF-8 are rejected here, as RFC 8259 strictness asks.
@Suite struct JSONCorpusTests {
    static let accepted: [(name: String, text: String)] = [
        ("y_array_arraysWithSpaces", "[[]   ]"),
        ("y_array_empty", "[]"),
        ("y_array_empty-string", "[\"\"]"),
        ("y_array_false", "[false]"),
        ("y_array_heterogeneous", "[null, 1, \"1\", {}]"),
        ("y_array_null", "[null]"),
        ("y_array_with_1_and_newline", "[1\n]"),
        ("y_array_with_leading_space", " [1]"),
        ("y_array_with_several_null", "[1,null,null,null,2]"),
        ("y_array_with_trailing_space", "[2] "),
        ("y_number", "[123e65]"),
        ("y_number_0e+1", "[0e+1]"),
        ("y_number_0e1", "[0e1]"),
        ("y_number_after_space", "[ 4]"),
        (
            "y_number_double_close_to_zero",
            "[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]"
        ),
        ("y_number_int_with_exp", "[20e1]"),
        ("y_number_minus_zero", "[-0]"),
        ("y_number_negative_int", "[-123]"),
        ("y_number_real_capital_e", "[1E22]"),
        ("y_number_real_capital_e_neg_exp", "[1E-2]"),
        ("y_number_real_capital_e_pos_exp", "[1E+2]"),
        ("y_number_real_fraction_exponent", "[123.456e78]"),
        ("y_number_simple_real", "[123.456789]"),
        ("y_object_basic", "{\"asd\":\"sdf\"}"),
        ("y_object_duplicated_key", "{\"a\":\"b\",\"a\":\"c\"}"),
        ("y_object_empty_key", "{\"\":0}"),
        ("y_object_escaped_null_in_key", "{\"foo\\u0000bar\": 42}"),
        ("y_object_with_newlines", "{\n\"a\": \"b\"\n}"),
        ("y_string_1_2_3_bytes_UTF-8_sequences", "[\"\\u0060\\u012a\\u12AB\"]"),
        ("y_string_accepted_surrogate_pair", "[\"\\uD801\\udc37\"]"),
        ("y_string_allowed_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
        ("y_string_backslash_and_u_escaped_zero", "[\"\\\\u0000\"]"),
        ("y_string_comments", "[\"a/*b*/c/*d//e\"]"),
        ("y_string_escaped_noncharacter", "[\"\\uFFFF\"]"),
        ("y_string_last_surrogates_1_and_2", "[\"\\uDBFF\\uDFFF\"]"),
        ("y_string_nonCharacterInUTF-8_U+FFFF", "[\"\u{FFFF}\"]"),
        ("y_string_utf8", "[\"€𝄞\"]"),
        ("y_string_with_del_character", "[\"a\u{7F}a\"]"),
        ("y_string_uescaped_newline", "[\"new\\u000Aline\"]"),
        ("y_structure_lonely_false", "false"),
        ("y_structure_lonely_int", "42"),
        ("y_structure_lonely_negative_real", "-0.1"),
        ("y_structure_lonely_null", "null"),
        ("y_structure_lonely_string", "\"asd\""),
        ("y_structure_lonely_true", "true"),
        ("y_structure_trailing_newline", "[\"a\"]\n"),
        ("y_structure_whitespace_array", " [] "),
        (
            "all four whitespace characters",
            " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n} \t\r\n"
        ),
    ]

    static let rejected: [(name: String, text: String, reason: JSONError.Reason)] = [
        ("n_array_1_true_without_comma", "[1 true]", .unexpectedCharacter),
        ("n_array_colon_instead_of_comma", "[\"\": 1]", .unexpectedCharacter),
        ("n_array_comma_after_close", "[\"\"],", .trailingCharacters),
        ("n_array_comma_and_number", "[,1]", .unexpectedCharacter),
        ("n_array_double_comma", "[1,,2]", .unexpectedCharacter),
        ("n_array_extra_close", "[\"x\"]]", .trailingCharacters),
        ("n_array_extra_comma", "[\"\",]", .unexpectedCharacter),
        ("n_array_incomplete", "[\"x\"", .unexpectedEndOfInput),
        ("n_array_inner_array_no_comma", "[3[4]]", .unexpectedCharacter),
        ("n_array_just_comma", "[,]", .unexpectedCharacter),
        ("n_array_just_minus", "[-]", .invalidNumber),
        ("n_array_missing_value", "[   , \"\"]", .unexpectedCharacter),
        ("n_array_number_and_comma", "[1,]", .unexpectedCharacter),
        ("n_array_unclosed_trailing_comma", "[1,", .unexpectedEndOfInput),
        ("n_incomplete_false", "[fals]", .unexpectedCharacter),
        ("n_incomplete_null", "[nul]", .unexpectedCharacter),
        ("n_incomplete_true", "[tru]", .unexpectedCharacter),
        ("n_incomplete_true_at_end", "tru", .unexpectedEndOfInput),
        ("n_number_++", "[++1234]", .unexpectedCharacter),
        ("n_number_+1", "[+1]", .unexpectedCharacter),
        ("n_number_-01", "[-01]", .invalidNumber),
        ("n_number_-1.0.", "[-1.0.]", .unexpectedCharacter),
        ("n_number_-2.", "[-2.]", .invalidNumber),
        ("n_number_-NaN", "[-NaN]", .invalidNumber),
        ("n_number_.-1", "[.-1]", .unexpectedCharacter),
        ("n_number_0.1.2", "[0.1.2]", .unexpectedCharacter),
        ("n_number_0.3e+", "[0.3e+]", .invalidNumber),
        ("n_number_0.e1", "[0.e1]", .invalidNumber),
        ("n_number_0_capital_E+", "[0E+]", .invalidNumber),
        ("n_number_1.0e-", "[1.0e-]", .invalidNumber),
        ("n_number_1eE2", "[1eE2]", .invalidNumber),
        ("n_number_2.e3", "[2.e3]", .invalidNumber),
        ("n_number_9.e+", "[9.e+]", .invalidNumber),
        ("n_number_at_end_without_digits", "-", .unexpectedEndOfInput),
        ("n_number_exponent_at_end", "1e", .unexpectedEndOfInput),
        ("n_number_Inf", "[Inf]", .unexpectedCharacter),
        ("n_number_NaN", "[NaN]", .unexpectedCharacter),
        ("n_number_hex_1_digit", "[0x1]", .unexpectedCharacter),
        ("n_number_infinity", "[Infinity]", .unexpectedCharacter),
        ("n_number_leading_zero", "[012]", .invalidNumber),
        ("n_number_minus_infinity", "[-Infinity]", .invalidNumber),
        ("n_number_neg_int_starting_with_zero", "[-012]", .invalidNumber),
        ("n_number_real_without_fractional_part", "[1.]", .invalidNumber),
        ("n_number_starting_with_dot", "[.123]", .unexpectedCharacter),
        ("n_object_bad_value", "[\"x\", truth]", .unexpectedCharacter),
        ("n_object_comma_instead_of_colon", "{\"x\", null}", .unexpectedCharacter),
        ("n_object_double_colon", "{\"x\"::\"b\"}", .unexpectedCharacter),
        ("n_object_missing_colon", "{\"a\" b}", .unexpectedCharacter),
        ("n_object_missing_key", "{:\"b\"}", .unexpectedCharacter),
        ("n_object_missing_value", "{\"a\":", .unexpectedEndOfInput),
        ("n_object_no-colon", "{\"a\"", .unexpectedEndOfInput),
        ("n_object_non_string_key", "{1:1}", .unexpectedCharacter),
        ("n_object_single_quote", "{'a':0}", .unexpectedCharacter),
        ("n_object_trailing_comma", "{\"id\":0,}", .unexpectedCharacter),
        ("n_object_trailing_comment", "{\"a\":\"b\"}/**/", .trailingCharacters),
        ("n_object_unquoted_key", "{a: \"b\"}", .unexpectedCharacter),
        ("n_object_with_trailing_garbage", "{\"a\":\"a\" 123}", .unexpectedCharacter),
        ("n_object_with_comment", "{\"a\":/*comment*/\"b\"}", .unexpectedCharacter),
        ("n_single_space", " ", .unexpectedEndOfInput),
        ("n_string_1_surrogate_then_escape", "[\"\\uD800\\\"]", .loneSurrogate),
        ("n_string_1_surrogate_then_escape_u", "[\"\\uD800\\u\"]", .invalidEscape),
        ("n_string_1_surrogate_then_escape_u1", "[\"\\uD800\\u1\"]", .invalidEscape),
        ("n_string_escape_x", "[\"\\x00\"]", .invalidEscape),
        ("n_string_escaped_backslash_bad", "[\"\\\\\\\"]", .unexpectedEndOfInput),
        ("n_string_escaped_emoji", "[\"\\🌀\"]", .invalidEscape),
        ("n_string_incomplete_escape", "[\"\\\"]", .unexpectedEndOfInput),
        ("n_string_incomplete_surrogate", "[\"\\uD834\\uDd\"]", .invalidEscape),
        ("n_string_invalid_unicode_escape", "[\"\\uqqqq\"]", .invalidEscape),
        ("n_string_single_quote", "['single quote']", .unexpectedCharacter),
        ("n_string_unescaped_newline", "[\"new\nline\"]", .controlCharacterInString),
        ("n_string_unescaped_tab", "[\"\t\"]", .controlCharacterInString),
        ("n_string_unescaped_ctrl_char", "[\"a\0a\"]", .controlCharacterInString),
        ("n_string_unescaped_after_escape", "[\"\\n\n\"]", .controlCharacterInString),
        ("i_string_1st_surrogate_but_2nd_missing", "[\"\\uDADA\"]", .loneSurrogate),
        ("i_string_lone_second_surrogate", "[\"\\uDFAA\"]", .loneSurrogate),
        ("i_string_inverted_surrogates_U+1D11E", "[\"\\uDd1e\\uD834\"]", .loneSurrogate),
        ("i_string_1st_valid_surrogate_2nd_invalid", "[\"\\uD888\\u1234\"]", .loneSurrogate),
        ("n_structure_UTF8_BOM_no_data", "\u{FEFF}", .unexpectedCharacter),
        ("i_structure_UTF-8_BOM_empty_object", "\u{FEFF}{}", .unexpectedCharacter),
        ("n_structure_no_data", "", .unexpectedEndOfInput),
        ("n_structure_unclosed_array", "[1", .unexpectedEndOfInput),
        ("n_structure_unclosed_object", "{\"asd\":\"asd\"", .unexpectedEndOfInput),
        ("n_structure_double_array", "[][]", .trailingCharacters),
        ("n_structure_trailing_#", "{\"a\":\"b\"}#{}", .trailingCharacters),
        ("n_structure_array_with_unclosed_string", "[\"asd]", .unexpectedEndOfInput),
        ("n_structure_capitalized_True", "[True]", .unexpectedCharacter),
        ("n_structure_lone-open-bracket", "[", .unexpectedEndOfInput),
        ("n_structure_null-byte-outside-string", "[\0]", .unexpectedCharacter),
        ("n_structure_whitespace_formfeed", "[\u{0C}]", .unexpectedCharacter),
        ("n_structure_whitespace_U+2060_word_joiner", "[\u{2060}]", .unexpectedCharacter),
        ("n_structure_ascii-unicode-identifier", "aå", .unexpectedCharacter),
    ]

    @Test(arguments: accepted)
    func accepts(_ name: String, _ text: String) throws {
        let value = try JSON(parsing: text)
        #expect(try JSON(parsing: value.serialized()) == value, "\(name)")
    }

    @Test(arguments: rejected)
    func rejects(_ name: String, _ text: String, _ reason: JSONError.Reason) {
        let error = #expect(throws: JSONError.self, "\(name)") { try JSON(parsing: text) }
        #expect(
            error?.reason == reason, "\(name): \(error.map(String.init(describing:)) ?? "no error")"
        )
    }

    static let malformedUTF8: [(name: String, bytes: [UInt8])] = [
        ("lone continuation byte", [0x22, 0x80, 0x22]),
        ("0xFF", [0x22, 0xFF, 0x22]),
        ("overlong 2-byte slash", [0x22, 0xC0, 0xAF, 0x22]),
        ("overlong 3-byte", [0x22, 0xE0, 0x80, 0xAF, 0x22]),
        ("overlong 4-byte", [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22]),
        ("UTF-8-encoded surrogate U+D800", [0x22, 0xED, 0xA0, 0x80, 0x22]),
        ("above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]),
        ("5-byte form", [0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22]),
        ("truncated 3-byte sequence", [0x22, 0xE6, 0x97, 0x22]),
        ("truncated at end of input", [0x22, 0xE6, 0x97]),
        ("lead byte followed by ASCII", [0x22, 0xC3, 0x41, 0x22]),
        ("invalid UTF-8 after an escape", [0x22, 0x5C, 0x6E, 0xFF, 0x22]),
    ]

    @Test(arguments: malformedUTF8)
    func rejectsMalformedUTF8(_ name: String, _ bytes: [UInt8]) {
        let error = #expect(throws: JSONError.self, "\(name)") { try JSON(parsing: bytes) }
        #expect(error?.reason == .invalidUTF8, "\(name)")
    }

    @Test func acceptsUTF8AtEveryLengthAndBoundary() throws {
        let text = "\"\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF}\""
        #expect(
            try JSON(parsing: Array(text.utf8))
                == .string("\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF}"))
    }
}
