/* The PRISMA 2020 flow diagram as a standalone SVG, laid out like the
 * official template: title bars on top, the Identification / Screening /
 * Included bands on the left, the databases-and-registers arm in the middle
 * with its excluded boxes on the right, the other-methods arm (when it has
 * records) beside it, and the previous-studies column of an updated review
 * on the far left.
 *
 * Boxes sit on a grid of rows and columns; each row is as tall as its
 * tallest box, so text never overflows whatever the reasons' lengths. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prisma/prisma_impl.h"

enum { COL_PREV, COL_DMAIN, COL_DEXCL, COL_OMAIN, COL_OEXCL, N_COLS };
enum { ROW_TITLE, ROW_IDENT, ROW_SCREEN, ROW_SOUGHT, ROW_ASSESS, ROW_NEW, ROW_TOTAL, N_ROWS };

#define BOX_W 260
#define GAP_X 50
#define GAP_Y 36
#define BAND_W 32
#define MARGIN 16
#define LINE_H 16
#define PAD 10
#define CHAR_W 6.2 /* average advance of the 13px sans-serif used */
#define MAX_LINES 40

typedef struct cell {
    int used;
    int span;         /* columns covered */
    const char *fill; /* background */
    int rounded, bold;
    char lines[MAX_LINES][160];
    int n;
} cell;

typedef struct layout {
    cell cell[N_ROWS][N_COLS];
    int col_x[N_COLS];
    int col_on[N_COLS];
    int row_y[N_ROWS], row_h[N_ROWS];
    int row_on[N_ROWS];
} layout;

static const char WHITE[] = "#ffffff", GREY[] = "#e6e6e6", GOLD[] = "#f5c342",
                  BAND[] = "#9dc3e6";

/* Appends text to the cell, wrapped to the cell's width at spaces; lines
 * after the first keep the text's indent plus two. */
static void cell_add(cell *c, const char *text)
{
    int lead = 0;
    while (text[lead] == ' ')
        lead++;
    int width = (int)((BOX_W * c->span + GAP_X * (c->span - 1) - 2 * PAD) / CHAR_W);
    const char *s = text + lead;
    int first = 1;
    while ((*s || first) && c->n < MAX_LINES) {
        int indent = first ? lead : lead + 2;
        int room = width - indent > 10 ? width - indent : 10;
        size_t len = strlen(s), take = len;
        size_t chars = 0, last_space = 0;
        for (size_t i = 0; i < len; i++) {
            if (((unsigned char)s[i] & 0xC0) != 0x80)
                chars++;
            if ((int)chars > room) {
                take = last_space ? last_space : i;
                break;
            }
            /* keep "(n = 12)" on one line: no break next to '=' */
            if (s[i] == ' ' && s[i + 1] != '=' && !(i > 0 && s[i - 1] == '='))
                last_space = i;
        }
        size_t max = sizeof c->lines[0] - 1 - (size_t)indent;
        if (take > max)
            take = max;
        /* never split a UTF-8 sequence */
        while (take > 0 && take < len && ((unsigned char)s[take] & 0xC0) == 0x80)
            take--;
        memset(c->lines[c->n], ' ', (size_t)indent);
        memcpy(c->lines[c->n] + indent, s, take);
        c->lines[c->n++][indent + take] = '\0';
        s += take;
        while (*s == ' ')
            s++;
        first = 0;
    }
}

static void cell_addf(cell *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell_addf(cell *c, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cell_add(c, text);
}

static cell *use(layout *L, int row, int col, const char *fill)
{
    cell *c = &L->cell[row][col];
    c->used = 1;
    c->span = 1;
    c->fill = fill;
    L->row_on[row] = 1;
    L->col_on[col] = 1;
    return c;
}

static void add_list(cell *c, const wn_prisma_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        cell_addf(c, "  %s (n = %lld)", l->items[i].name, (long long)l->items[i].n);
}

static void fill_cells(layout *L, const wn_prisma *c)
{
    const wn_prisma_arm *d = &c->arm[WN_PRISMA_DBR], *o = &c->arm[WN_PRISMA_OTHER];
    int other = wn_prisma_has_other_arm(c);
    cell *x;

    if (c->has_previous) {
        x = use(L, ROW_TITLE, COL_PREV, GREY);
        x->rounded = x->bold = 1;
        cell_add(x, "Previous studies");
        x = use(L, ROW_IDENT, COL_PREV, GREY);
        cell_addf(x, "Studies included in previous version of review (n = %lld)",
                  (long long)c->previous_studies);
        cell_add(x, "");
        cell_addf(x, "Reports of studies included in previous version of review (n = %lld)",
                  (long long)c->previous_reports);
    }

    x = use(L, ROW_TITLE, COL_DMAIN, GOLD);
    x->span = 2;
    x->rounded = x->bold = 1;
    L->col_on[COL_DEXCL] = 1;
    cell_add(x, "Identification of new studies via databases and registers");

    x = use(L, ROW_IDENT, COL_DMAIN, WHITE);
    cell_add(x, "Records identified from*:");
    cell_addf(x, "Databases (n = %lld)", (long long)c->databases);
    add_list(x, &c->database_sources);
    cell_addf(x, "Registers (n = %lld)", (long long)c->registers);
    add_list(x, &c->register_sources);

    x = use(L, ROW_IDENT, COL_DEXCL, WHITE);
    cell_add(x, "Records removed before screening:");
    cell_addf(x, "Duplicate records removed (n = %lld)", (long long)d->duplicates);
    cell_addf(x, "Records marked as ineligible by automation tools (n = %lld)",
              (long long)d->automation);
    add_list(x, &d->automation_reasons);
    cell_addf(x, "Records removed for other reasons (n = %lld)", (long long)d->removed_other);
    add_list(x, &d->other_reasons);

    x = use(L, ROW_SCREEN, COL_DMAIN, WHITE);
    cell_addf(x, "Records screened (n = %lld)", (long long)d->screened);
    x = use(L, ROW_SCREEN, COL_DEXCL, WHITE);
    cell_addf(x, "Records excluded** (n = %lld)", (long long)d->excluded);
    cell_addf(x, "by reviewers (n = %lld); by automation tools (n = 0)", (long long)d->excluded);

    x = use(L, ROW_SOUGHT, COL_DMAIN, WHITE);
    cell_addf(x, "Reports sought for retrieval (n = %lld)", (long long)d->sought);
    x = use(L, ROW_SOUGHT, COL_DEXCL, WHITE);
    cell_addf(x, "Reports not retrieved (n = %lld)", (long long)d->not_retrieved);

    x = use(L, ROW_ASSESS, COL_DMAIN, WHITE);
    cell_addf(x, "Reports assessed for eligibility (n = %lld)", (long long)d->assessed);
    x = use(L, ROW_ASSESS, COL_DEXCL, WHITE);
    cell_addf(x, "Reports excluded (n = %lld):", (long long)d->reports_excluded);
    add_list(x, &d->report_reasons);

    x = use(L, ROW_NEW, COL_DMAIN, WHITE);
    cell_addf(x, "%s (n = %lld)",
              c->has_previous ? "New studies included in review" : "Studies included in review",
              (long long)c->new_studies);
    cell_addf(x, "%s (n = %lld)",
              c->has_previous ? "Reports of new included studies"
                              : "Reports of included studies",
              (long long)c->new_reports);
    if (c->has_previous) {
        x = use(L, ROW_TOTAL, COL_DMAIN, WHITE);
        cell_addf(x, "Total studies included in review (n = %lld)", (long long)c->total_studies);
        cell_addf(x, "Reports of total included studies (n = %lld)",
                  (long long)c->total_reports);
    }

    if (!other)
        return;
    x = use(L, ROW_TITLE, COL_OMAIN, GREY);
    x->span = 2;
    x->rounded = x->bold = 1;
    L->col_on[COL_OEXCL] = 1;
    cell_add(x, "Identification of new studies via other methods");
    x = use(L, ROW_IDENT, COL_OMAIN, GREY);
    cell_add(x, "Records identified from:");
    cell_addf(x, "Websites (n = %lld)", (long long)c->websites);
    cell_addf(x, "Organisations (n = %lld)", (long long)c->organisations);
    cell_addf(x, "Citation searching (n = %lld)", (long long)c->citations);
    if (c->other_kind)
        cell_addf(x, "Other sources (n = %lld)", (long long)c->other_kind);
    /* The template has no screening boxes in this arm; winnow shows them
     * when records were removed or excluded there, so the arm adds up. */
    int64_t removed = o->duplicates + o->automation + o->removed_other + o->excluded;
    if (removed) {
        x = use(L, ROW_SCREEN, COL_OMAIN, GREY);
        cell_addf(x, "Records screened (n = %lld)", (long long)o->screened);
        x = use(L, ROW_SCREEN, COL_OEXCL, GREY);
        cell_addf(x, "Records removed or excluded (n = %lld):", (long long)removed);
        cell_addf(x, "  duplicates (n = %lld)", (long long)o->duplicates);
        if (o->automation)
            cell_addf(x, "  by automation tools (n = %lld)", (long long)o->automation);
        if (o->removed_other)
            cell_addf(x, "  for other reasons (n = %lld)", (long long)o->removed_other);
        cell_addf(x, "  excluded by reviewers (n = %lld)", (long long)o->excluded);
    }
    x = use(L, ROW_SOUGHT, COL_OMAIN, GREY);
    cell_addf(x, "Reports sought for retrieval (n = %lld)", (long long)o->sought);
    x = use(L, ROW_SOUGHT, COL_OEXCL, GREY);
    cell_addf(x, "Reports not retrieved (n = %lld)", (long long)o->not_retrieved);
    x = use(L, ROW_ASSESS, COL_OMAIN, GREY);
    cell_addf(x, "Reports assessed for eligibility (n = %lld)", (long long)o->assessed);
    x = use(L, ROW_ASSESS, COL_OEXCL, GREY);
    cell_addf(x, "Reports excluded (n = %lld):", (long long)o->reports_excluded);
    add_list(x, &o->report_reasons);
}

static void place(layout *L)
{
    int x = MARGIN + BAND_W + 14;
    for (int k = 0; k < N_COLS; k++) {
        L->col_x[k] = x;
        if (L->col_on[k])
            x += BOX_W + GAP_X;
    }
    int y = MARGIN;
    for (int r = 0; r < N_ROWS; r++) {
        int h = 0;
        for (int k = 0; k < N_COLS; k++)
            if (L->cell[r][k].used) {
                int need = L->cell[r][k].n * LINE_H + 2 * PAD;
                h = need > h ? need : h;
            }
        /* room for the rotated "Included" of its band */
        if (r == ROW_NEW && h < 84)
            h = 84;
        L->row_y[r] = y;
        L->row_h[r] = h;
        if (L->row_on[r])
            y += h + GAP_Y;
    }
}

static int put_escaped(wn_buf *b, const char *s)
{
    int rc = 0;
    for (; !rc && *s; s++) {
        switch (*s) {
        case '&': rc = wn_buf_puts(b, "&amp;"); break;
        case '<': rc = wn_buf_puts(b, "&lt;"); break;
        case '>': rc = wn_buf_puts(b, "&gt;"); break;
        case '"': rc = wn_buf_puts(b, "&quot;"); break;
        default: rc = wn_buf_putc(b, *s);
        }
    }
    return rc;
}

static int emit_cell(wn_buf *b, const layout *L, int r, int k)
{
    const cell *c = &L->cell[r][k];
    int x = L->col_x[k], y = L->row_y[r];
    int w = BOX_W * c->span + GAP_X * (c->span - 1), h = L->row_h[r];
    int rc = wn_buf_printf(b,
                           "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"%s fill=\"%s\""
                           " stroke=\"%s\" stroke-width=\"1.2\"/>\n",
                           x, y, w, h, c->rounded ? " rx=\"10\"" : "", c->fill,
                           c->fill == WHITE ? "#000000" : "#808080");
    /* title bars are centred, boxes read from the top left */
    int center = c->rounded;
    int text_y = center ? y + (h - c->n * LINE_H) / 2 + 12 : y + PAD + 12;
    for (int i = 0; !rc && i < c->n; i++) {
        /* SVG collapses leading spaces: an indented line is drawn further in */
        const char *line = c->lines[i];
        int indent = 0;
        while (*line == ' ')
            line++, indent += 6;
        rc = wn_buf_printf(b, "<text x=\"%d\" y=\"%d\"%s%s>",
                           center ? x + w / 2 : x + PAD + indent, text_y + i * LINE_H,
                           center ? " text-anchor=\"middle\"" : "",
                           c->bold ? " font-weight=\"bold\"" : "");
        if (!rc)
            rc = put_escaped(b, line);
        if (!rc)
            rc = wn_buf_puts(b, "</text>\n");
    }
    return rc;
}

static int arrow(wn_buf *b, int x1, int y1, int x2, int y2)
{
    return wn_buf_printf(b,
                         "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\""
                         " stroke-width=\"1.5\" marker-end=\"url(#head)\"/>\n",
                         x1, y1, x2, y2);
}

static int polyline_arrow(wn_buf *b, int x1, int y1, int xm, int ym, int x2, int y2)
{
    return wn_buf_printf(b,
                         "<polyline points=\"%d,%d %d,%d %d,%d\" fill=\"none\" stroke=\"#000\""
                         " stroke-width=\"1.5\" marker-end=\"url(#head)\"/>\n",
                         x1, y1, xm, ym, x2, y2);
}

/* Down the main column from row r1 to the next used row, and across to the
 * excluded box of each row that has one. */
static int arm_arrows(wn_buf *b, const layout *L, int main_col, int excl_col, int last_row)
{
    int rc = 0, cx = L->col_x[main_col] + BOX_W / 2, prev = -1;
    for (int r = ROW_IDENT; !rc && r <= last_row; r++) {
        if (!L->cell[r][main_col].used)
            continue;
        if (prev >= 0)
            rc = arrow(b, cx, L->row_y[prev] + L->row_h[prev], cx, L->row_y[r] - 2);
        if (!rc && L->cell[r][excl_col].used) {
            int y = L->row_y[r] + L->row_h[r] / 2;
            rc = arrow(b, L->col_x[main_col] + BOX_W, y, L->col_x[excl_col] - 2, y);
        }
        prev = r;
    }
    return rc;
}

static int band(wn_buf *b, int y, int h, const char *label)
{
    int x = MARGIN;
    int rc = wn_buf_printf(b,
                           "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\""
                           " fill=\"%s\"/>\n",
                           x, y, BAND_W, h, BAND);
    if (!rc)
        rc = wn_buf_printf(b,
                           "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\""
                           " transform=\"rotate(-90 %d %d)\">%s</text>\n",
                           x + BAND_W / 2 + 5, y + h / 2, x + BAND_W / 2 + 5, y + h / 2, label);
    return rc;
}

static int render(const wn_prisma *c, layout *L, wn_buf *b)
{
    fill_cells(L, c);
    place(L);
    int width = MARGIN, height;
    for (int k = 0; k < N_COLS; k++)
        if (L->col_on[k])
            width = L->col_x[k] + BOX_W + MARGIN;
    int last = c->has_previous ? ROW_TOTAL : ROW_NEW;
    int bottom = L->row_y[last] + L->row_h[last];
    int notes_y = bottom + 28;
    int undecided = !c->complete;
    height = notes_y + (undecided ? 4 : 2) * LINE_H + MARGIN;

    int rc = wn_buf_printf(b,
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                           " viewBox=\"0 0 %d %d\" font-family=\"Arial, Helvetica, sans-serif\""
                           " font-size=\"13\">\n"
                           "<title>PRISMA 2020 flow diagram</title>\n"
                           "<defs><marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\""
                           " refX=\"9\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\""
                           " fill=\"#000\"/></marker></defs>\n"
                           "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
                           width, height, width, height);
    /* bands: identification beside the first boxes, screening down to the
     * assessed row, included below */
    if (!rc)
        rc = band(b, L->row_y[ROW_IDENT], L->row_h[ROW_IDENT], "Identification");
    if (!rc)
        rc = band(b, L->row_y[ROW_SCREEN],
                  L->row_y[ROW_ASSESS] + L->row_h[ROW_ASSESS] - L->row_y[ROW_SCREEN], "Screening");
    if (!rc)
        rc = band(b, L->row_y[ROW_NEW], bottom - L->row_y[ROW_NEW], "Included");
    for (int r = 0; !rc && r < N_ROWS; r++)
        for (int k = 0; !rc && k < N_COLS; k++)
            if (L->cell[r][k].used)
                rc = emit_cell(b, L, r, k);
    if (!rc)
        rc = arm_arrows(b, L, COL_DMAIN, COL_DEXCL, last);
    if (!rc && L->col_on[COL_OMAIN]) {
        rc = arm_arrows(b, L, COL_OMAIN, COL_OEXCL, ROW_ASSESS);
        /* the other arm's assessed reports join the included box */
        int ox = L->col_x[COL_OMAIN] + BOX_W / 2;
        int iy = L->row_y[ROW_NEW] + L->row_h[ROW_NEW] / 2;
        if (!rc)
            rc = polyline_arrow(b, ox, L->row_y[ROW_ASSESS] + L->row_h[ROW_ASSESS], ox, iy,
                                L->col_x[COL_DMAIN] + BOX_W + 2, iy);
    }
    if (!rc && c->has_previous) {
        int px = L->col_x[COL_PREV] + BOX_W / 2;
        int ty = L->row_y[ROW_TOTAL] + L->row_h[ROW_TOTAL] / 2;
        rc = polyline_arrow(b, px, L->row_y[ROW_IDENT] + L->row_h[ROW_IDENT], px, ty,
                            L->col_x[COL_DMAIN] - 2, ty);
    }
    if (!rc)
        rc = wn_buf_printf(b,
                           "<text x=\"%d\" y=\"%d\" font-size=\"11\">*Records identified are"
                           " given per database and register searched.</text>\n"
                           "<text x=\"%d\" y=\"%d\" font-size=\"11\">**Records excluded by"
                           " people at screening; automation tools removed records only before"
                           " screening (box above).</text>\n",
                           MARGIN, notes_y, MARGIN, notes_y + LINE_H);
    if (!rc && undecided) {
        int64_t ta, ft, wait;
        wn_prisma_undecided(c, &ta, &ft, &wait);
        rc = wn_buf_printf(b,
                           "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#c00000\""
                           " font-weight=\"bold\">Screening not finished: %lld records and %lld"
                           " reports await a decision, %lld reports await retrieval (counted in"
                           " no box).</text>\n",
                           MARGIN, notes_y + 2 * LINE_H + 4, (long long)ta, (long long)ft,
                           (long long)wait);
    }
    if (!rc)
        rc = wn_buf_puts(b, "</svg>\n");
    return rc;
}

int wn_prisma_write_svg(const wn_prisma *c, wn_buf *b)
{
    layout *L = calloc(1, sizeof *L); /* a few hundred KiB of wrapped lines */
    if (!L)
        return WN_ENOMEM;
    int rc = render(c, L, b);
    free(L);
    return rc;
}
