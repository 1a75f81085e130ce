# figure-1.gp: figure "001 Figure 4c: estimates on dependent batches exceed the true MI", drawn by MIPlot; its data is figure-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot figure-1.gp                       writes figure-1.svg
#   gnuplot -e 'format="png"' figure-1.gp     writes figure-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' figure-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' figure-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'figure-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 1400,700 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 1400,700 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 14in,7in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'figure-1.dat'
set multiplot layout 1,2 rowsfirst title '001 Figure 4c: estimates on dependent batches exceed the true MI' font ',13'

# Panel 1 (row 1, column 1): InfoNCE: non-i.i.d. (blue) vs i.i.d. (orange) batches
reset
set title 'InfoNCE: non-i.i.d. (blue) vs i.i.d. (orange) batches'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-0.1:0.6]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 1 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 2 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'noniid()', \
    data index 3 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'noniid(iid=true)', \
    data index 4 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI'

# Panel 2 (row 1, column 2): NWJ: non-i.i.d. (blue) vs i.i.d. (orange) batches
reset
set title 'NWJ: non-i.i.d. (blue) vs i.i.d. (orange) batches'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-0.1:0.6]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 5 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 6 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 7 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'noniid()', \
    data index 8 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'noniid(iid=true)', \
    data index 9 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI'

unset multiplot
unset output
