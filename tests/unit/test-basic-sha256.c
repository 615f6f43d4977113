/* SPDX-License-Identifier: GPL-2.0-or-later */
/* basic.sha256: FIPS 180-4 example vectors, and incremental updates split at every offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static void check_hex(const void *data, size_t len, const char *want)
{
	uint8_t md[SHA256_DIGEST_SIZE];
	char hex[SHA256_HEX_SIZE];
	sha256(data, len, md);
	assert_string_equal(sha256_hex(md, hex), want);
}

static void test_empty(void **state)
{
	(void)state;
	check_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_hex(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	(void)state;
	check_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448(void **state)
{
	(void)state;
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	assert_int_equal(strlen(m), 56);
	check_hex(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896(void **state)
{
	(void)state;
	const char *m =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
	    "mnopqrstnopqrstu";
	assert_int_equal(strlen(m), 112);
	check_hex(m, strlen(m), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	(void)state;
	const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *m = malloc(1000000);
	assert_non_null(m);
	memset(m, 'a', 1000000);
	check_hex(m, 1000000, want);

	/* The same through many odd-sized updates. */
	struct sha256_ctx ctx;
	uint8_t md[SHA256_DIGEST_SIZE];
	char hex[SHA256_HEX_SIZE];
	sha256_init(&ctx);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 97 + 1)
		sha256_update(&ctx, m + off, off + step > 1000000 ? 1000000 - off : step);
	sha256_final(&ctx, md);
	assert_string_equal(sha256_hex(md, hex), want);
	free(m);
}

static void test_split_every_offset(void **state)
{
	(void)state;
	uint8_t msg[200];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 37 + 11);
	uint8_t want[SHA256_DIGEST_SIZE];
	sha256(msg, sizeof(msg), want);

	for (size_t a = 0; a <= sizeof(msg); a++) {
		/* Two parts split at a. */
		struct sha256_ctx ctx;
		uint8_t md[SHA256_DIGEST_SIZE];
		sha256_init(&ctx);
		sha256_update(&ctx, msg, a);
		sha256_update(&ctx, msg + a, sizeof(msg) - a);
		sha256_final(&ctx, md);
		assert_memory_equal(md, want, sizeof(md));

		/* Three parts split at a and every b >= a, with empty updates in between. */
		for (size_t b = a; b <= sizeof(msg); b++) {
			sha256_init(&ctx);
			sha256_update(&ctx, msg, a);
			sha256_update(&ctx, msg + a, 0);
			sha256_update(&ctx, msg + a, b - a);
			sha256_update(&ctx, msg + b, sizeof(msg) - b);
			sha256_final(&ctx, md);
			assert_memory_equal(md, want, sizeof(md));
		}
	}

	/* Byte by byte. */
	struct sha256_ctx ctx;
	uint8_t md[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	for (size_t i = 0; i < sizeof(msg); i++)
		sha256_update(&ctx, msg + i, 1);
	sha256_final(&ctx, md);
	assert_memory_equal(md, want, sizeof(md));
}

/* The padding boundaries (55, 56, 63, 64), and every length up to 200 one-shot vs byte by byte. */
static void test_padding_lengths(void **state)
{
	(void)state;
	uint8_t msg[200];
	memset(msg, 'x', sizeof(msg));
	/* Lengths where the padding just fits in one block or spills into a second (sha256sum values). */
	uint8_t a64[64];
	memset(a64, 'a', sizeof(a64));
	check_hex(a64, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check_hex(a64, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	check_hex(a64, 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
	check_hex(a64, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	for (size_t len = 0; len <= sizeof(msg); len++) {
		uint8_t one[SHA256_DIGEST_SIZE], bytes[SHA256_DIGEST_SIZE];
		sha256(msg, len, one);
		struct sha256_ctx ctx;
		sha256_init(&ctx);
		for (size_t i = 0; i < len; i++)
			sha256_update(&ctx, msg + i, 1);
		sha256_final(&ctx, bytes);
		assert_memory_equal(one, bytes, sizeof(one));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_abc),
	    cmocka_unit_test(test_448),
	    cmocka_unit_test(test_896),
	    cmocka_unit_test(test_million_a),
	    cmocka_unit_test(test_split_every_offset),
	    cmocka_unit_test(test_padding_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
